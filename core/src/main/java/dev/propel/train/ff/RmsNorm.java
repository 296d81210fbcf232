package dev.propel.train.ff;

import dev.propel.kernel.Kernels;

/**
 * The normalisation between Forward-Forward layers (Hinton's {@code ffnormrows}): each row is divided
 * by its root-mean-square, {@code x̂ = x / (tiny + √(Σ_c x_c² / cols))}, with no mean subtraction and
 * no learnable gain. A normalised row has mean square 1 whatever the goodness of the row was, so the
 * next layer sees only the <em>direction</em> of the activity vector and cannot simply pass on the
 * previous layer's goodness. An all-zero row stays zero.
 */
public final class RmsNorm {
    /** Hinton's {@code tiny = e^-50}, guarding the division for an all-zero row. */
    public static final float TINY = (float) Math.exp(-50);

    private RmsNorm() {
    }

    /**
     * {@code out[r][·] = x[r][·] / (tiny + rms(x[r][·]))} for a {@code rows × cols} matrix;
     * {@code rowScratch} (length >= rows) receives the factors {@code 1 / (tiny + rms)}. {@code out} may be {@code x}.
     */
    public static void normalizeRows(Kernels k, float[] x, int rows, int cols, float[] out, float[] rowScratch) {
        k.rowSumSquares(x, rows, cols, rowScratch);
        // One scalar per row (not per element): turn Σx² into 1/(tiny + √(Σx²/cols)).
        for (int r = 0; r < rows; r++) {
            rowScratch[r] = (float) (1.0 / (TINY + Math.sqrt(rowScratch[r] / (double) cols)));
        }
        k.scaleRows(x, rows, cols, rowScratch, out);
    }
}
