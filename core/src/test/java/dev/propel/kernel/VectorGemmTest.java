package dev.propel.kernel;

import static dev.propel.kernel.KernelAssertions.assertBitwise;
import static dev.propel.kernel.KernelAssertions.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Vector API matrix product against a double-precision oracle (tolerance growing with k) and
 * against the scalar twin (bitwise, as {@link VectorGemm} promises), in all four transpose layouts,
 * with offsets, padded leading dimensions, alpha/beta variants and odd sizes around the register
 * block and cache block edges (the blocks depend on the vector width: {@link GemmBlocking}; the pom reruns
 * this test at 128 and 256 bits and with the 12-row block of 32-register machines).
 */
class VectorGemmTest {

    private static final int[][] SHAPES = {
            {1, 1, 1}, {1, 7, 17}, {7, 1, 33}, {7, 17, 1}, {6, 32, 8}, {17, 33, 7}, {33, 17, 100},
            {13, 100, 129}, {100, 33, 257}, {25, 37, 513}, {129, 129, 33}, {5, 70, 300}, {64, 64, 64}, {100, 100, 100},
            // at and around GemmDot's limits (m <= 4 with transB): k around multiples of 16, n around 4
            {4, 9, 48}, {2, 70, 15}, {3, 5, 16}, {4, 4, 785}, {1, 513, 33},
    };
    private static final float[][] ALPHA_BETA = {{1f, 0f}, {0.5f, 1f}, {-2f, 0.75f}};

    private static Kernels vector;
    private static Kernels vector3;
    private static final Kernels SCALAR = new ScalarKernels();

    @BeforeAll
    static void start() {
        vector = new VectorKernels(1);
        vector3 = new VectorKernels(3);
    }

    @AfterAll
    static void stop() {
        vector.close();
        vector3.close();
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (int[] shape : SHAPES) {
            for (int layout = 0; layout < 4; layout++) {
                for (float[] ab : ALPHA_BETA) {
                    cases.add(Arguments.of(layout >= 2, layout % 2 == 1, shape[0], shape[1], shape[2], ab[0], ab[1]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "transA={0} transB={1} {2}x{3}x{4} alpha={5} beta={6}")
    @MethodSource("cases")
    void matchesOracleAndScalarTwin(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta) {
        SplittableRandom random = new SplittableRandom(31L * m + 7L * n + k);
        // Offsets and leading dimensions larger than the rows, so that stride bugs show.
        Problem p = new Problem(random, transA, transB, m, n, k, 3, 5, 2, 4);
        float[] cVector = p.c.clone();
        float[] cScalar = p.c.clone();
        vector.gemm(transA, transB, m, n, k, alpha, p.a, 3, p.lda, p.b, 5, p.ldb, beta, cVector, 2, p.ldc);
        SCALAR.gemm(transA, transB, m, n, k, alpha, p.a, 3, p.lda, p.b, 5, p.ldb, beta, cScalar, 2, p.ldc);

        double[] oracle = p.oracle(alpha, beta, 3, 5, 2);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int idx = 2 + i * p.ldc + j;
                double allowed = 1e-6 * (k + 2) * p.magnitude(alpha, beta, i, j, 3, 5, 2) + 1e-30;
                double error = Math.abs(cVector[idx] - oracle[idx]);
                if (!(error <= allowed)) {
                    fail("C[" + i + "][" + j + "] = " + cVector[idx] + ", oracle " + oracle[idx] + ", error " + error
                            + " > " + allowed);
                }
            }
        }
        // Everything outside the m×n block of C (offset, padding of each row) is untouched.
        for (int idx = 0; idx < p.c.length; idx++) {
            int rel = idx - 2;
            boolean inside = rel >= 0 && rel / p.ldc < m && rel % p.ldc < n;
            if (!inside && Float.floatToIntBits(cVector[idx]) != Float.floatToIntBits(p.c[idx])) {
                fail("gemm wrote outside C at index " + idx);
            }
        }
        assertBitwise("C", cScalar, cVector, cVector.length);
    }

    /**
     * A right operand packed once gives the bits of the product with op(B) as a plain matrix, for the vector kernels
     * at 1 and 3 threads and for the scalar ones, in every case above.
     */
    @ParameterizedTest(name = "transA={0} transB={1} {2}x{3}x{4} alpha={5} beta={6}")
    @MethodSource("cases")
    void aRightOperandPackedOnceGivesThePlainProduct(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                                     float beta) {
        checkPackedRight(new Problem(new SplittableRandom(17L * m + n + 5L * k), transA, transB, m, n, k, 3, 5, 2, 4), alpha, beta);
    }

    /** Several column blocks (NC) and k-blocks (KC) at every vector width: the offsets of the packed blocks. */
    @Test
    void aPackedRightOperandSpansSeveralCacheBlocks() {
        for (boolean transB : new boolean[] {false, true}) {
            checkPackedRight(new Problem(new SplittableRandom(3), false, transB, 37, 1100, 600, 3, 5, 2, 4), 1f, 0.5f);
        }
    }

    private static void checkPackedRight(Problem p, float alpha, float beta) {
        int m = p.m, n = p.n, k = p.k;
        float[] plain = new float[k * n];
        for (int q = 0; q < k; q++) {
            for (int j = 0; j < n; j++) plain[q * n + j] = (float) p.opB(q, j, 5);
        }
        float[] expected = p.c.clone();
        SCALAR.gemm(p.transA, false, m, n, k, alpha, p.a, 3, p.lda, plain, 0, n, beta, expected, 2, p.ldc);
        for (Kernels kernels : new Kernels[] {vector, vector3, SCALAR}) {
            float[] packed = new float[kernels.packedRightSize(k, n)];
            kernels.packRight(p.transB, k, n, p.b, 5, p.ldb, packed);
            float[] c = p.c.clone();
            kernels.gemmPackedRight(p.transA, m, n, k, alpha, p.a, 3, p.lda, packed, beta, c, 2, p.ldc);
            assertBitwise("C with " + kernels.name(), expected, c, c.length);
        }
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        SplittableRandom random = new SplittableRandom(5);
        int m = 13, n = 37, k = 300;
        float[] a = uniform(random, m * k, -1, 1);
        float[] b = uniform(random, k * n, -1, 1);
        float[] c = new float[m * n];
        Arrays.fill(c, Float.NaN);
        vector.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        assertEquals(-1, vector.firstNonFinite(c, c.length), "beta = 0 must overwrite the NaNs in C");
        float[] expected = new float[m * n];
        SCALAR.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, expected, 0, n);
        assertBitwise("C", expected, c, c.length);
    }

    @Test
    void zeroDepthScalesC() {
        float[] c = {1f, 2f, Float.NaN, 4f};
        vector.gemm(false, true, 2, 2, 0, 1f, new float[0], 0, 0, new float[0], 0, 0, 0.5f, c, 0, 2);
        assertEquals(0.5f, c[0]);
        assertEquals(1f, c[1]);
        assertTrue(Float.isNaN(c[2]));
        vector.gemm(false, true, 2, 2, 0, 1f, new float[0], 0, 0, new float[0], 0, 0, 0f, c, 0, 2);
        assertBitwise("C", new float[4], c, 4);
    }

    @Test
    void emptyProductsDoNothing() {
        float[] c = {7f};
        vector.gemm(false, false, 0, 5, 3, 1f, new float[0], 0, 3, new float[15], 0, 5, 0f, c, 0, 5);
        vector.gemm(false, false, 5, 0, 3, 1f, new float[15], 0, 3, new float[0], 0, 0, 0f, c, 0, 0);
        assertEquals(7f, c[0]);
    }

    /** A large odd product gives the same bits with 1, 2 and 3 threads, in every layout. */
    @Test
    void resultsDoNotDependOnThreadCount() {
        SplittableRandom random = new SplittableRandom(301);
        int m = 301, k = 517, n = 263;
        assertTrue((long) m * n * k >= VectorGemm.PARALLEL_MIN_WORK, "large enough to use the pool");
        float[] a = uniform(random, m * k, -1, 1);
        float[] b = uniform(random, k * n, -1, 1);
        try (Kernels two = new VectorKernels(2)) {
            for (int layout = 0; layout < 4; layout++) {
                boolean transA = layout >= 2;
                boolean transB = layout % 2 == 1;
                int lda = transA ? m : k;
                int ldb = transB ? k : n;
                float[] c0 = uniform(new SplittableRandom(layout), m * n, -1, 1);
                float[] c1 = c0.clone();
                float[] c2 = c0.clone();
                float[] c3 = c0.clone();
                vector.gemm(transA, transB, m, n, k, 0.7f, a, 0, lda, b, 0, ldb, 0.3f, c1, 0, n);
                two.gemm(transA, transB, m, n, k, 0.7f, a, 0, lda, b, 0, ldb, 0.3f, c2, 0, n);
                vector3.gemm(transA, transB, m, n, k, 0.7f, a, 0, lda, b, 0, ldb, 0.3f, c3, 0, n);
                assertBitwise("2 threads vs 1, layout " + layout, c1, c2, c1.length);
                assertBitwise("3 threads vs 1, layout " + layout, c1, c3, c1.length);
            }
        }
    }

    /** Few rows and many columns: the threads split the columns, and n spans more than one NC block. */
    @Test
    void wideProductSplitsColumnsExactly() {
        SplittableRandom random = new SplittableRandom(11);
        int m = 7, k = 600, n = 2 * VectorGemm.NC + 37;
        assertTrue((long) m * n * k >= VectorGemm.PARALLEL_MIN_WORK, "large enough to use the pool");
        float[] a = uniform(random, k * m, -1, 1);
        float[] b = uniform(random, n * k, -1, 1);
        float[] c1 = new float[m * n];
        float[] c3 = new float[m * n];
        float[] expected = new float[m * n];
        SCALAR.gemm(true, true, m, n, k, 1f, a, 0, m, b, 0, k, 0f, expected, 0, n);
        vector.gemm(true, true, m, n, k, 1f, a, 0, m, b, 0, k, 0f, c1, 0, n);
        vector3.gemm(true, true, m, n, k, 1f, a, 0, m, b, 0, k, 0f, c3, 0, n);
        assertBitwise("1 thread", expected, c1, c1.length);
        assertBitwise("3 threads", expected, c3, c3.length);
    }

    /** A batch-of-few dense forward (GemmDot order) large enough to split its columns over the threads. */
    @Test
    void fewRowsWithTransposedBSplitColumnsExactly() {
        SplittableRandom random = new SplittableRandom(12);
        int m = 4, k = 1000, n = 1100 + 3;
        assertTrue(GemmDot.applies(false, true, m, k), "uses the dot order");
        assertTrue((long) m * n * k >= VectorGemm.PARALLEL_MIN_WORK, "large enough to use the pool");
        float[] a = uniform(random, m * k, -1, 1);
        float[] b = uniform(random, n * k, -1, 1);
        float[] c1 = uniform(random, m * n, -1, 1);
        float[] c3 = c1.clone();
        float[] expected = c1.clone();
        SCALAR.gemm(false, true, m, n, k, 0.5f, a, 0, k, b, 0, k, 0.25f, expected, 0, n);
        vector.gemm(false, true, m, n, k, 0.5f, a, 0, k, b, 0, k, 0.25f, c1, 0, n);
        vector3.gemm(false, true, m, n, k, 0.5f, a, 0, k, b, 0, k, 0.25f, c3, 0, n);
        assertBitwise("1 thread", expected, c1, c1.length);
        assertBitwise("3 threads", expected, c3, c3.length);
    }

    @Test
    void closedKernelsStillComputeOnTheCallingThread() {
        SplittableRandom random = new SplittableRandom(3);
        int m = 200, n = 200, k = 200;
        assertTrue((long) m * n * k >= VectorGemm.PARALLEL_MIN_WORK, "large enough to use the pool");
        float[] a = uniform(random, m * k, -1, 1);
        float[] b = uniform(random, k * n, -1, 1);
        float[] expected = new float[m * n];
        float[] c = new float[m * n];
        SCALAR.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, expected, 0, n);
        Kernels closed = new VectorKernels(2);
        closed.close();
        closed.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        assertBitwise("C", expected, c, c.length);
    }

    /** Both implementations check shapes before writing anything. */
    @Test
    void badArgumentsAreRejectedWithClearMessages() {
        for (Kernels kernels : new Kernels[] {vector, SCALAR}) {
            float[] a = new float[6];
            float[] b = new float[6];
            float[] c = new float[4];
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> kernels.gemm(false, false, -1, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2));
            assertTrue(negative.getMessage().contains("m=-1"), negative.getMessage());

            IllegalArgumentException lda = assertThrows(IllegalArgumentException.class,
                    () -> kernels.gemm(false, false, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
            assertTrue(lda.getMessage().contains("lda") && lda.getMessage().contains("(3)"), lda.getMessage());

            IllegalArgumentException shortB = assertThrows(IllegalArgumentException.class,
                    () -> kernels.gemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 1, 2, 0f, c, 0, 2));
            assertTrue(shortB.getMessage().contains("matrix B") && shortB.getMessage().contains("at least 7"),
                    shortB.getMessage());

            IllegalArgumentException shortC = assertThrows(IllegalArgumentException.class,
                    () -> kernels.gemm(false, true, 2, 3, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 3));
            assertTrue(shortC.getMessage().contains("matrix C"), shortC.getMessage());
            assertBitwise("C after rejected calls", new float[4], c, 4);
        }
    }

    /** Random A, B, C stored with the given layout, offsets and extra row padding. */
    private static final class Problem {
        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;
        final int lda;
        final int ldb;
        final int ldc;
        final float[] a;
        final float[] b;
        final float[] c;

        Problem(SplittableRandom random, boolean transA, boolean transB, int m, int n, int k,
                int aOff, int bOff, int cOff, int pad) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            int aRows = transA ? k : m;
            lda = (transA ? m : k) + pad;
            int bRows = transB ? n : k;
            ldb = (transB ? k : n) + pad + 1;
            ldc = n + pad + 2;
            a = uniform(random, aOff + aRows * lda, -1, 1);
            b = uniform(random, bOff + bRows * ldb, -1, 1);
            c = uniform(random, cOff + m * ldc, -1, 1);
        }

        double opA(int i, int p, int aOff) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        double opB(int p, int j, int bOff) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        double[] oracle(float alpha, float beta, int aOff, int bOff, int cOff) {
            double[] out = new double[c.length];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += opA(i, p, aOff) * opB(p, j, bOff);
                    }
                    int idx = cOff + i * ldc + j;
                    out[idx] = alpha * s + (beta == 0 ? 0 : beta * (double) c[idx]);
                }
            }
            return out;
        }

        /** Σ|alpha·a·b| + |beta·c|: the scale of the rounding error of C[i][j]. */
        double magnitude(float alpha, float beta, int i, int j, int aOff, int bOff, int cOff) {
            double s = 0;
            for (int p = 0; p < k; p++) {
                s += Math.abs(opA(i, p, aOff) * opB(p, j, bOff));
            }
            return Math.abs(alpha) * s + (beta == 0 ? 0 : Math.abs(beta * c[cOff + i * ldc + j]));
        }
    }
}
