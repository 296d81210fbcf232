package dev.propel.standard.loss;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.tensor.Tensor;

/**
 * Mean squared error over all N elements (PyTorch's {@code MSELoss} with {@code reduction='mean'}):
 * <pre>
 *   L = (1/N) Σ_i (p_i − t_i)²        ∂L/∂p_i = (2/N)(p_i − t_i)
 * </pre>
 */
public final class MeanSquaredError implements Loss {
    /** The type id: mean squared error against regression targets. */
    public static final String TYPE = "mse";

    private final Attributes attributes;
    private final Scratch scratch = new Scratch(1);

    MeanSquaredError(Attributes attributes) {
        this.attributes = attributes;
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }

    @Override
    public float compute(Tensor predictions, Tensor targets, Tensor gradient, Kernels k) {
        LossInputs.check(TYPE, predictions, targets, gradient);
        int n = predictions.size();
        // The difference goes straight into the gradient when there is one.
        float[] diff = gradient != null ? gradient.data() : scratch.get(0, n);
        k.sub(predictions.data(), targets.data(), diff, n);
        float sumSquares = k.sumSquares(diff, n);
        if (gradient != null) k.scale(2f / n, diff, diff, n);
        return sumSquares / n;
    }

    @Override
    public String toString() {
        return "loss '" + TYPE + "'";
    }

    /** Makes {@link MeanSquaredError} losses. */
    public static final class Factory implements LossFactory {
        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "mean squared error over all elements";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.empty();
        }

        @Override
        public Loss create(Attributes attributes) {
            return new MeanSquaredError(attributes);
        }
    }
}
