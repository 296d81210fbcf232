package dev.propel.standard.loss;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

/**
 * Softmax cross-entropy on logits (PyTorch's {@code CrossEntropyLoss} with probability targets),
 * averaged over the B rows of a {@code [batch, classes]} input. Targets are one-hot or probability
 * rows. With label smoothing ε (attribute {@code label_smoothing}, default 0) the targets become
 * {@code t' = (1 − ε)·t + ε/C}. With {@code lse_r = log Σ_c e^(z_rc)} (stable, from
 * {@code logSumExpRows}) and {@code q = softmax(z)}:
 * <pre>
 *   L = (1/B) Σ_r Σ_c −t'_rc · log q_rc = (1/B) Σ_r [lse_r · Σ_c t'_rc − Σ_c t'_rc · z_rc]
 *   ∂L/∂z_rc = (q_rc · Σ_j t'_rj − t'_rc) / B      (= (q − t)/B for rows that sum to 1 without smoothing)
 * </pre>
 * Use it after a linear last layer; do not put a {@code softmax} layer in front of it.
 */
public final class CrossEntropy implements Loss {
    /** The type id: softmax cross-entropy on logits against one-hot targets. */
    public static final String TYPE = "cross_entropy";

    private static final int LSE = 0;
    private static final int TARGET_SUMS = 1;
    private static final int TARGET_DOTS = 2;
    private static final int ONES = 3;
    private static final int ROW_LOSS = 4;
    private static final int LOGIT_SUMS = 5;
    private static final int SMOOTHING_ROW = 6;

    private final String type;
    private final Attributes attributes;
    private final float smoothing;
    /** Divide by the number of target rows (Σ of all targets) instead of all rows: {@link SequenceCrossEntropy}. */
    private final boolean meanOverTargetRows;
    private final Scratch scratch = new Scratch(7);

    CrossEntropy(Attributes attributes) {
        this(TYPE, attributes, attributes.getFloat("label_smoothing"), false);
    }

    CrossEntropy(String type, Attributes attributes, float smoothing, boolean meanOverTargetRows) {
        this.type = type;
        this.attributes = attributes;
        this.smoothing = smoothing;
        this.meanOverTargetRows = meanOverTargetRows;
    }

    @Override
    public String typeId() {
        return type;
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }

    @Override
    public float compute(Tensor predictions, Tensor targets, Tensor gradient, Kernels k) {
        LossInputs.check(type, predictions, targets, gradient);
        if (predictions.shape().rank() < 2) {
            throw new ShapeException("loss '" + type + "': expected logits of shape [batch, classes] but got "
                    + predictions.shape());
        }
        int cols = predictions.shape().dim(predictions.shape().rank() - 1);
        int rows = predictions.size() / cols;
        int n = rows * cols;
        float[] z = predictions.data();
        float[] t = targets.data();
        float eps = smoothing;

        float[] lse = scratch.get(LSE, rows);
        float[] targetSums = scratch.get(TARGET_SUMS, rows);
        float[] targetDots = scratch.get(TARGET_DOTS, rows);
        float[] ones = scratch.get(ONES, Math.max(rows, cols));
        float[] rowLoss = scratch.get(ROW_LOSS, rows);
        k.fill(ones, Math.max(rows, cols), 1f);
        k.logSumExpRows(z, lse, rows, cols);
        k.gemm(false, false, rows, 1, cols, 1f, t, 0, cols, ones, 0, 1, 0f, targetSums, 0, 1); // Σ_c t_rc
        k.rowDots(t, z, targetDots, rows, cols);                                               // Σ_c t_rc·z_rc

        // Per row first, then summed: lse and t·z are close for confident predictions.
        k.mul(lse, targetSums, rowLoss, rows);
        k.sub(rowLoss, targetDots, rowLoss, rows);
        double total = (1.0 - eps) * k.sum(rowLoss, rows);
        // The divisor of the mean: all rows, or the rows with a target (ignored rows have none and add nothing).
        float count = meanOverTargetRows ? k.sum(targetSums, rows) : rows;
        if (count == 0f) count = 1f; // every row ignored: loss and gradient 0 (PyTorch would give NaN)
        if (eps > 0f) {
            // The uniform part ε/C of t' adds ε·(lse_r − (1/C) Σ_c z_rc) per row.
            float[] logitSums = scratch.get(LOGIT_SUMS, rows);
            k.gemm(false, false, rows, 1, cols, -1f / cols, z, 0, cols, ones, 0, 1, 0f, logitSums, 0, 1);
            k.add(lse, logitSums, logitSums, rows);
            total += eps * k.sum(logitSums, rows);
        }

        if (gradient != null) {
            float[] g = gradient.data();
            k.softmaxRows(z, g, rows, cols);
            // Row factor (Σ_j t'_rj)/B = ((1 − ε)·Σ_j t_rj + ε)/B, written over targetSums.
            k.scale((1f - eps) / count, targetSums, targetSums, rows);
            if (eps > 0f) k.axpy(eps / rows, ones, targetSums, rows);
            k.scaleRows(g, rows, cols, targetSums, g);
            k.axpy(-(1f - eps) / count, t, g, n);
            if (eps > 0f) {
                float[] uniform = scratch.get(SMOOTHING_ROW, cols);
                k.fill(uniform, cols, -eps / ((float) cols * rows));
                k.addRowVector(g, rows, cols, uniform);
            }
        }
        return (float) (total / count);
    }

    @Override
    public String toString() {
        return "loss '" + type + "'" + (smoothing > 0 ? " label smoothing " + smoothing : "");
    }

    /** Makes {@link CrossEntropy} losses. */
    public static final class Factory implements LossFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .floatAttr("label_smoothing", 0f, 0.0, true, 1.0, false,
                        "mixes the targets with the uniform distribution: t' = (1 - e)·t + e/classes")
                .build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "softmax cross-entropy on logits, one-hot or probability targets, averaged over the batch";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Loss create(Attributes attributes) {
            return new CrossEntropy(attributes);
        }
    }
}
