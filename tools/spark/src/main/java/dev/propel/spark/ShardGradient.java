package dev.propel.spark;

import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;

import java.io.Serial;
import java.io.Serializable;

/**
 * What one worker sends back for a step: its examples' share of the batch gradient (already weighted
 * by its share of the batch, all parameters flattened in model order), the sum of its examples'
 * losses and its count of correct predictions; for a model with layer state, also its updated state
 * weighted by its share of the batch ({@link LayerStates}), else {@code null}.
 *
 * <p>{@link #plus} is commutative bit for bit (IEEE addition is), so a sum of exactly two partials is
 * the same whichever arrives first; {@link PairwiseSum} builds every sum out of such pairs.
 * {@code computeNanos} is the slowest worker's time for its gradient (the step's critical path).
 */
record ShardGradient(float[] gradient, double lossSum, long correct, int rows, long computeNanos, double[] state)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Kernels SCALAR = KernelsProvider.scalar();

    /** A partial of a model without layer state. */
    ShardGradient(float[] gradient, double lossSum, long correct, int rows, long computeNanos) {
        this(gradient, lossSum, correct, rows, computeNanos, null);
    }

    /** A worker none of whose examples are in the batch: nothing to add (and nothing to send). */
    static ShardGradient empty() {
        return new ShardGradient(null, 0, 0, 0, 0);
    }

    ShardGradient plus(ShardGradient other) {
        if (other.gradient == null) return this;
        if (gradient == null) return other;
        float[] sum = new float[gradient.length];
        SCALAR.add(gradient, other.gradient, sum, sum.length);
        return new ShardGradient(sum, lossSum + other.lossSum, correct + other.correct, rows + other.rows,
                Math.max(computeNanos, other.computeNanos), state == null ? null : LayerStates.plus(state, other.state));
    }
}
