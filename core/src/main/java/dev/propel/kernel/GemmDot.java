package dev.propel.kernel;

/**
 * The order of operations of matrix products with very few rows of C and B transposed,
 * {@code C = alpha·A·Bᵀ + beta·C} with m ≤ {@link #MAX_ROWS} (and k > 0): a dense layer's forward pass on a
 * batch of one to a few samples (weights stored out×in, as PyTorch stores them).
 *
 * <p>There, the packed GEMM would spend most of its time re-packing B (the whole weight matrix) for a
 * handful of output rows. Both rows {@code A[i]} and {@code B[j]} are contiguous along p, so each
 * element is computed instead as a dot product with {@link #WIDTH} interleaved partial sums:
 * <pre>
 *   s[l] = 0                                  l = 0 .. WIDTH−1
 *   s[p mod WIDTH] = fma(A[i][p], B[j][p], s[p mod WIDTH])     p = 0, 1, …, k−1 in order
 *   for w = WIDTH/2, …, 2, 1:  s[l] = s[l] + s[l + w]   for l &lt; w    (a fixed pairwise tree)
 *   C[i][j] = beta == 0 ? alpha·s[0] : fma(beta, C[i][j], alpha·s[0])   (old C ignored when beta is 0)
 * </pre>
 * The scalar reference ({@link ScalarKernels#gemm}) and the Vector API kernels both follow this
 * order for these shapes, so they stay bitwise equal; the choice depends on the shape alone, never on
 * the number of threads. A product with more rows takes the ordinary sequential-in-p order, so one
 * sample's outputs may differ in the last bit between a batch of 4 and a batch of 128 (as in other
 * frameworks); within a batch size, results are exact and repeatable.
 */
final class GemmDot {

    /** Products with at most this many rows of C (and transB, not transA) use the dot order. */
    static final int MAX_ROWS = 4;
    /** Number of interleaved partial sums: one 512-bit vector of floats. */
    static final int WIDTH = 16;

    private GemmDot() {
    }

    /** Whether {@link Kernels#gemm} with these arguments follows the dot order (k = 0 only scales C). */
    static boolean applies(boolean transA, boolean transB, int m, int k) {
        return transB && !transA && m <= MAX_ROWS && k > 0;
    }

    /** Per-thread partial sums for {@link #scalar(int, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)}. */
    private static final ThreadLocal<float[]> SUMS = ThreadLocal.withInitial(() -> new float[WIDTH]);

    /**
     * The dot-order product in plain Java, for columns [j0, j1) of C, with the calling thread's partial sums (so
     * a product allocates nothing). Arguments are already checked.
     */
    static void scalar(int m, int j0, int j1, int k, float alpha, float[] a, int aOff, int lda,
                       float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        scalar(SUMS.get(), m, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** As above, with the partial sums in {@code s} (at least WIDTH floats), so nothing is allocated. */
    static void scalar(float[] s, int m, int j0, int j1, int k, float alpha, float[] a, int aOff, int lda,
                       float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * lda;
            for (int j = j0; j < j1; j++) {
                int bRow = bOff + j * ldb;
                java.util.Arrays.fill(s, 0, WIDTH, 0f);
                for (int p = 0; p < k; p++) {
                    int l = p & (WIDTH - 1);
                    s[l] = Math.fma(a[aRow + p], b[bRow + p], s[l]);
                }
                store(s, alpha, beta, c, cOff + i * ldc + j);
            }
        }
    }

    /** Reduces the partial sums in the fixed tree order and writes the element of C. */
    static void store(float[] s, float alpha, float beta, float[] c, int idx) {
        for (int w = WIDTH / 2; w >= 1; w >>= 1) {
            for (int l = 0; l < w; l++) {
                s[l] += s[l + w];
            }
        }
        float value = alpha * s[0];
        c[idx] = beta == 0f ? value : Math.fma(beta, c[idx], value);
    }
}
