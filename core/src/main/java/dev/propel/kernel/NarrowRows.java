package dev.propel.kernel;

import static dev.propel.kernel.VectorKernels.LANES;

/**
 * Scalar code for {@link VectorRows}' kernels on rows narrower than {@link #MAX_COLS} values (the
 * 10 classes of a classifier's last layer and loss), giving the vector code's bits: the same lane
 * partial sums, added across the lanes in the same pairwise tree. The row kernels that add nothing
 * across a row (bias add, ReLU, per-column sums, row scaling, argmax) use the scalar twin
 * ({@link VectorKernels#SCALAR}), which already performs the vector code's operations in its order.
 *
 * <p>Why: these kernels run once per training step. A CNN takes a few steps a second, so HotSpot
 * leaves them in the interpreter and in C1 for minutes, and there every Vector API operation
 * allocates its result (C2 alone turns them into registers): about half a megabyte per step. Scalar
 * code allocates nothing in any tier, and on rows this short it is no slower.
 */
final class NarrowRows {

    /** Rows with fewer values than this take the scalar path, at every vector width. */
    static final int MAX_COLS = 32;

    private NarrowRows() {
    }

    static boolean applies(int cols) {
        return cols < MAX_COLS;
    }

    /** {@code out[r] = Σ_c a[r][c]·b[r][c]}: per lane a chain of fmas, then the lane tree. */
    static void rowDots(float[] a, float[] b, float[] out, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            out[r] = laneTree(Lane.FMA, a, b, 0f, r * cols, cols, 0, LANES);
        }
    }

    /** Softmax of each row: max, exponentials with their lane-tree sum, scaling by 1/sum. */
    static void softmaxRows(float[] x, float[] y, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = rowMax(x, o, cols);
            for (int c = 0; c < cols; c++) y[o + c] = VectorMath.expShiftedLane(x[o + c], max);
            float inv = 1f / laneTree(Lane.SUM, y, null, 0f, o, cols, 0, LANES);
            for (int c = 0; c < cols; c++) y[o + c] *= inv;
        }
    }

    /** {@code dx[r][c] = y[r][c]·(dy[r][c] − Σ_j dy[r][j]·y[r][j])}, the sum in the vector code's order. */
    static void softmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float s = laneTree(Lane.PRODUCTS, dy, y, 0f, o, cols, 0, LANES);
            for (int c = 0; c < cols; c++) dx[o + c] = y[o + c] * (dy[o + c] - s);
        }
    }

    /** {@code out[r] = max_r + ln Σ_c e^(x[r][c] − max_r)}; a row of −∞ gives −∞. */
    static void logSumExpRows(float[] x, float[] out, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = rowMax(x, o, cols);
            if (max == Float.NEGATIVE_INFINITY) {
                out[r] = max;
            } else {
                out[r] = max + (float) Math.log(laneTree(Lane.EXP, x, null, max, o, cols, 0, LANES));
            }
        }
    }

    /** Largest value of the row (NaN if any is NaN), −∞ for an empty row; max is exact, so any order. */
    private static float rowMax(float[] x, int o, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) max = Math.max(max, x[o + c]);
        return max;
    }

    /*
     * The lane trees. Lane j of the vector code holds the values of columns j, j + LANES, j + 2·LANES, …
     * combined in order; the lanes are then added pairwise (lane i with lane i XOR 2^k for k = 0, 1, …),
     * which leaves in lane 0 the balanced tree over lanes [0, LANES): tree(lo, n) = tree(lo, n/2) +
     * tree(lo + n/2, n/2). A lane past the row's end holds +0, as the masked vector lanes do. No partial
     * sum is ever −0 (they start at +0), so adding a masked lane's +0 changes nothing, as here.
     */

    /** What a lane accumulates over its columns: values, products, fused products, or e^(value − shift). */
    private enum Lane { SUM, PRODUCTS, FMA, EXP }

    private static float laneTree(Lane kind, float[] a, float[] b, float shift, int o, int cols, int lo, int n) {
        if (n > 1) {
            int half = n / 2;
            return laneTree(kind, a, b, shift, o, cols, lo, half) + laneTree(kind, a, b, shift, o, cols, lo + half, half);
        }
        float acc = 0f;
        for (int c = o + lo; c < o + cols; c += LANES) {
            acc = switch (kind) {
                case SUM -> acc + a[c];
                case PRODUCTS -> acc + a[c] * b[c];
                case FMA -> Math.fma(a[c], b[c], acc);
                case EXP -> acc + VectorMath.expShiftedLane(a[c], shift);
            };
        }
        return acc;
    }
}
