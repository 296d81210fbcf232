package dev.propel.kernel;

/**
 * Checks the shape arguments of {@link Kernels#gemm} before any element is written, so a wrong
 * leading dimension or a short array fails with a message that names the matrix instead of an
 * index error halfway through the product (or, worse, a silently wrong result).
 */
final class GemmArguments {

    private GemmArguments() {
    }

    static void check(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        checkMatrix("C", "m×n", m, n, c, cOff, ldc, "ldc");
        if (k == 0) {
            return;
        }
        if (transA) {
            checkMatrix("A", "k×m (transA)", k, m, a, aOff, lda, "lda");
        } else {
            checkMatrix("A", "m×k", m, k, a, aOff, lda, "lda");
        }
        checkB(transB, k, n, b, bOff, ldb);
    }

    /** The checks of the right operand alone, for {@link Kernels#packRight}. */
    static void checkRight(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        if (k < 0 || n < 0) {
            throw new IllegalArgumentException("packRight sizes must be >= 0, got k=" + k + ", n=" + n);
        }
        if (k > 0 && n > 0) {
            checkB(transB, k, n, b, bOff, ldb);
        }
    }

    private static void checkB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        if (transB) {
            checkMatrix("B", "n×k (transB)", n, k, b, bOff, ldb, "ldb");
        } else {
            checkMatrix("B", "k×n", k, n, b, bOff, ldb, "ldb");
        }
    }

    private static void checkMatrix(String name, String layout, int rows, int cols, float[] data, int offset,
                                    int ld, String ldName) {
        if (data == null) {
            throw new IllegalArgumentException("gemm matrix " + name + " is null; pass the " + layout + " array");
        }
        if (ld < cols) {
            throw new IllegalArgumentException("gemm " + ldName + " must be >= the row length of " + name
                    + " stored " + layout + " (" + cols + "), got " + ldName + "=" + ld);
        }
        long end = offset + (long) (rows - 1) * ld + cols;
        if (offset < 0 || end > data.length) {
            throw new IllegalArgumentException("gemm matrix " + name + " stored " + layout + " = " + rows + "×" + cols
                    + " with offset " + offset + " and " + ldName + "=" + ld + " needs an array of at least "
                    + end + " floats, got " + data.length + "; check the sizes and the leading dimension");
        }
    }
}
