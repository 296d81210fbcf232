package dev.propel.standard.loss;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.spi.PropelException;
import dev.propel.tensor.Tensor;

/**
 * Softmax cross-entropy per time step (PyTorch's {@code CrossEntropyLoss(ignore_index=-100)} on the
 * {@code [B·T, C]} logits of a {@code [B, T, C]} output): the softmax is taken over the last axis, each
 * step has its own target class, steps whose target is the ignore index (padding) add nothing, and the
 * loss is the mean over the steps that are not ignored.
 *
 * <p>Targets, as every Propel target, have the output's shape: per step a one-hot row of C values,
 * and an all-zero row for an ignored step. {@link #oneHot} makes them from class indices with
 * {@value #IGNORE_INDEX} for padding. With {@code S = Σ_r Σ_c t_rc} (the number of target steps):
 * {@code L = (1/S) Σ_r [lse_r·Σ_c t_rc − Σ_c t_rc·z_rc]}, {@code ∂L/∂z_rc = (q_rc·Σ_j t_rj − t_rc)/S}.
 * A batch in which every step is ignored has loss 0 and a zero gradient.
 */
public final class SequenceCrossEntropy {
    /** The loss type name in specs and model files. */
    public static final String TYPE = "sequence_cross_entropy";
    /** The class index that marks a padding step, as PyTorch's default {@code ignore_index}. */
    public static final int IGNORE_INDEX = -100;

    private SequenceCrossEntropy() {
    }

    /**
     * Per-step one-hot targets {@code [n, steps·classes]} from class indices {@code labels[n·steps]}
     * (example-major); {@link #IGNORE_INDEX} gives an all-zero row. Any other index outside
     * {@code [0, classes)} is an error naming the example and the step.
     */
    public static Tensor oneHot(int[] labels, int steps, int classes) {
        if (steps < 1 || labels.length % steps != 0) {
            throw new PropelException("sequence targets: " + labels.length + " class indices are not a whole number of sequences of "
                    + steps + " steps; give one index per step (" + IGNORE_INDEX + " for a padding step)");
        }
        Tensor t = Tensor.zeros(labels.length / steps, steps * classes);
        float[] v = t.data();
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            if (c == IGNORE_INDEX) continue;
            if (c < 0 || c >= classes) {
                throw new PropelException("sequence targets: class index " + c + " of example " + i / steps + " at step " + i % steps
                        + " is outside [0, " + classes + "); use " + IGNORE_INDEX + " to mark a padding step");
            }
            v[i * classes + c] = 1f;
        }
        return t;
    }

    /** Makes sequence cross-entropy losses. */
    public static final class Factory implements LossFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder().build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "softmax cross-entropy per step of a [T, classes] output, one-hot targets per step, all-zero rows "
                    + "(ignore_index -100) skipped, mean over the other steps";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Loss create(Attributes attributes) {
            return new CrossEntropy(TYPE, attributes, 0f, true);
        }
    }
}
