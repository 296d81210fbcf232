package dev.propel.model.testplugin;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.tensor.Tensor;

/** {@code L = Σ (p − t)² / rows}; gradient {@code 2·(p − t) / rows}. */
final class MseLoss implements Loss {
    private final Attributes attributes;

    private MseLoss(Attributes attributes) {
        this.attributes = attributes;
    }

    @Override
    public String typeId() {
        return "mse";
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }

    @Override
    public float compute(Tensor predictions, Tensor targets, Tensor gradient, Kernels kernels) {
        int n = predictions.size();
        float[] diff = gradient != null ? gradient.data() : new float[n];
        kernels.sub(predictions.data(), targets.data(), diff, n);
        float loss = kernels.sumSquares(diff, n) / predictions.rows();
        if (gradient != null) kernels.scale(2f / predictions.rows(), diff, diff, n);
        return loss;
    }

    /** Registers {@code mse}. */
    static final class Factory implements LossFactory {
        @Override
        public String typeId() {
            return "mse";
        }

        @Override
        public String description() {
            return "squared error summed over outputs, averaged over the batch (test plugin)";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.empty();
        }

        @Override
        public Loss create(Attributes attributes) {
            return new MseLoss(attributes);
        }
    }
}
