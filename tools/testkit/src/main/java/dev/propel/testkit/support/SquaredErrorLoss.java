package dev.propel.testkit.support;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

/**
 * Loss {@code testkit_squared_error}: {@code L = Σ (p − t)² / (2B)} over a batch of B rows;
 * gradient {@code (p − t) / B}. Allocates its scratch per call; it is for tests only.
 */
public final class SquaredErrorLoss implements Loss {
    /** The type id: {@code L = Σ (p − t)² / (2B)} over a batch of B rows. */
    public static final String TYPE = "testkit_squared_error";

    private final Attributes attributes;

    SquaredErrorLoss(Attributes attributes) {
        this.attributes = attributes;
    }

    @Override public String typeId() { return TYPE; }
    @Override public Attributes attributes() { return attributes; }

    @Override
    public float compute(Tensor predictions, Tensor targets, Tensor gradient, Kernels k) {
        int n = predictions.size();
        if (targets.size() != n || (gradient != null && gradient.size() != n)) {
            throw new ShapeException("loss '" + TYPE + "': predictions " + predictions.shape() + ", targets "
                    + targets.shape() + (gradient == null ? "" : " and gradient " + gradient.shape())
                    + " must have the same number of values");
        }
        float[] diff = new float[n];
        k.sub(predictions.data(), targets.data(), diff, n);
        float rows = Math.max(1, predictions.rows());
        if (gradient != null) k.scale(1f / rows, diff, gradient.data(), n);
        return k.sumSquares(diff, n) / (2f * rows);
    }

    /** Makes {@link SquaredErrorLoss}es. */
    public static final class Factory implements LossFactory {
        @Override public String typeId() { return TYPE; }
        @Override public String description() { return "half squared error per sample (testkit support type)"; }
        @Override public AttributeSchema schema() { return AttributeSchema.empty(); }

        @Override
        public Loss create(Attributes attributes) {
            return new SquaredErrorLoss(attributes);
        }
    }
}
