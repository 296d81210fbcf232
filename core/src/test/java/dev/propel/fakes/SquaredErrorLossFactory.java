package dev.propel.fakes;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.tensor.Tensor;

/**
 * Test loss {@code fake_squared_error}: {@code L = (1/n) Σ (p − t)²} over a batch of n rows;
 * {@code ∂L/∂p = (2/n)(p − t)}.
 */
public final class SquaredErrorLossFactory implements LossFactory {
    public static final String TYPE = "fake_squared_error";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "sum of squared errors per example, averaged over the batch (test loss)";
    }

    @Override
    public AttributeSchema schema() {
        return AttributeSchema.empty();
    }

    @Override
    public Loss create(Attributes attributes) {
        return new Loss() {
            @Override
            public String typeId() {
                return TYPE;
            }

            @Override
            public Attributes attributes() {
                return attributes;
            }

            @Override
            public float compute(Tensor predictions, Tensor targets, Tensor gradient, Kernels kernels) {
                int size = predictions.size();
                float[] diff = new float[size];
                kernels.sub(predictions.data(), targets.data(), diff, size);
                float rows = predictions.rows();
                if (gradient != null) kernels.scale(2f / rows, diff, gradient.data(), size);
                return kernels.sumSquares(diff, size) / rows;
            }
        };
    }
}
