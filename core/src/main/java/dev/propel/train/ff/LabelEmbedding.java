package dev.propel.train.ff;

import dev.propel.data.Dataset;
import dev.propel.kernel.Kernels;
import dev.propel.spi.PropelException;

import java.util.Arrays;

/**
 * Puts the label into the input, as in the paper: the first {@code classes} features of each example
 * are replaced by a one-hot vector scaled to {@code strength} (the top of the data's value range, so
 * 1 for images in [0, 1]). The <em>neutral</em> label has {@code strength/classes} in each of those
 * features (0.1 for ten classes in [0, 1]).
 *
 * <p>The features the label overwrites are lost to the model; for MNIST-like images they are the
 * always-dark top-left corner.
 */
public record LabelEmbedding(int classes, float strength) {

    /**
     * Checks the values; throws {@link PropelException} for fewer than 2 classes or a strength that is not finite and
     * > 0.
     */
    public LabelEmbedding {
        if (classes < 2) {
            throw new PropelException("label embedding needs at least 2 classes, got " + classes);
        }
        if (!(strength > 0) || !Float.isFinite(strength)) {
            throw new PropelException("label strength must be a finite value > 0, got " + strength
                    + "; use the largest value the input features take (1 for images scaled to [0, 1])");
        }
    }

    /**
     * The label strength for a dataset: its largest feature value (the top of its value range), or 1
     * when no feature is positive.
     */
    public static float strengthFor(Dataset data, Kernels k) {
        float[] f = data.features().data();
        int n = data.features().size();
        if (n == 0) return 1f;
        int[] at = new int[1];
        k.argmaxRows(f, 1, n, at);
        float max = f[at[0]];
        return max > 0 && Float.isFinite(max) ? max : 1f;
    }

    /** Fails unless each example has at least {@code classes} features to hold the label. */
    public void requireFits(int features, String what) {
        if (features < classes) {
            throw new PropelException(what + " has " + features + " features per example, but the Forward-Forward "
                    + "label embedding writes the " + classes + " classes into the first " + classes
                    + " features; use inputs with at least " + classes + " features");
        }
    }

    /**
     * Copies {@code rows} examples of {@code cols} features from {@code src} into {@code dst} starting at
     * row {@code dstRow}, with example r's first features set to the one-hot of {@code labels[r]}.
     */
    public void embed(float[] src, int rows, int cols, int[] labels, float[] dst, int dstRow) {
        for (int r = 0; r < rows; r++) {
            int label = labels[r];
            if (label < 0 || label >= classes) {
                throw new PropelException("label " + label + " of example " + r + " is outside [0, " + classes + ")");
            }
            int o = (dstRow + r) * cols;
            System.arraycopy(src, r * cols, dst, o, cols);
            Arrays.fill(dst, o, o + classes, 0f);
            dst[o + label] = strength;
        }
    }

    /** As {@link #embed} with the same label {@code label} for every example. */
    public void embedConstant(float[] src, int rows, int cols, int label, float[] dst, int dstRow) {
        if (label < 0 || label >= classes) {
            throw new PropelException("label " + label + " is outside [0, " + classes + ")");
        }
        for (int r = 0; r < rows; r++) {
            int o = (dstRow + r) * cols;
            System.arraycopy(src, r * cols, dst, o, cols);
            Arrays.fill(dst, o, o + classes, 0f);
            dst[o + label] = strength;
        }
    }

    /** As {@link #embed} with the neutral label: {@code strength/classes} in each label feature. */
    public void embedNeutral(float[] src, int rows, int cols, float[] dst, int dstRow) {
        float neutral = strength / classes;
        for (int r = 0; r < rows; r++) {
            int o = (dstRow + r) * cols;
            System.arraycopy(src, r * cols, dst, o, cols);
            Arrays.fill(dst, o, o + classes, neutral);
        }
    }
}
