package com.example.propel;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.tensor.Tensor;

/**
 * The Huber loss, averaged over all N elements (PyTorch's {@code HuberLoss}, reduction "mean"):
 * <pre>
 *   d = p − t
 *   h(d) = ½d²              if |d| ≤ δ
 *          δ·(|d| − ½δ)     otherwise
 *   L = (1/N) Σ h(d_i)      ∂L/∂p_i = clamp(d_i, −δ, δ) / N
 * </pre>
 * Computed with kernels only: {@code c = clamp(d, −δ, δ) = d − relu(d − δ) + relu(−d − δ)}, and
 * {@code h(d) = c·(d − c/2)}, so {@code Σ h = c·d − ½·c·c}. Attribute: {@code delta} (δ > 0,
 * default 1).
 *
 * <p>Thread safety: scratch arrays are per thread, so one loss may be used by several threads.
 */
public final class HuberLoss implements Loss {
    public static final String TYPE = "huber";

    private final Attributes attributes;
    private final float delta;
    private final ScratchArrays scratch = new ScratchArrays(4);

    HuberLoss(Attributes attributes) {
        this.attributes = attributes;
        this.delta = attributes.getFloat("delta");
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
        float[][] s = scratch.get(n);
        float[] d = s[0];
        float[] deltas = s[1];
        float[] high = s[2];
        float[] low = s[3];
        k.sub(predictions.data(), targets.data(), d, n);   // d = p − t
        k.fill(deltas, n, delta);
        k.sub(d, deltas, high, n);                           // d − δ
        k.relu(high, high, n);                               // relu(d − δ)
        k.scale(-1f, d, low, n);
        k.sub(low, deltas, low, n);                          // −d − δ
        k.relu(low, low, n);                                 // relu(−d − δ)
        float[] c = high;
        k.sub(d, high, c, n);
        k.add(c, low, c, n);                                 // c = clamp(d, −δ, δ)
        float sum = k.dot(c, d, n) - 0.5f * k.sumSquares(c, n);
        if (gradient != null) k.scale(1f / n, c, gradient.data(), n);
        return sum / n;
    }

    @Override
    public String toString() {
        return "loss '" + TYPE + "' (delta " + delta + ")";
    }

    /** Makes {@link HuberLoss} losses. */
    public static final class Factory implements LossFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .positiveFloat("delta", 1f, "where the loss turns from quadratic to linear")
                .build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "Huber loss: quadratic for |p - t| <= delta, linear beyond; mean over all elements";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Loss create(Attributes attributes) {
            return new HuberLoss(attributes);
        }
    }
}
