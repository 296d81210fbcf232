package dev.propel.kernel;

import static dev.propel.kernel.KernelAssertions.assertBitwise;
import static dev.propel.kernel.KernelAssertions.assertClose;
import static dev.propel.kernel.KernelAssertions.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every non-GEMM {@link VectorKernels} method against {@link ScalarKernels} on random inputs, at
 * sizes below, at and around multiples of the vector length (tails). Operations documented as
 * bitwise equal are compared bit for bit; sums and transcendental functions with a tolerance.
 */
class VectorKernelsTest {

    private static final Kernels SCALAR = new ScalarKernels();
    private static final Kernels VECTOR = new VectorKernels(2);
    /** Float transcendental functions against the scalar ones computed in double. */
    private static final double RTOL = 1e-5;
    /** Values that stress every special case. */
    private static final float[] SPECIAL = {0f, -0f, 1e-8f, -1e-8f, 0.5f, -0.5f, 3f, -3f, 15f, -15f, 50f, -50f,
            100f, -100f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE,
            -Float.MAX_VALUE};

    @AfterAll
    static void stop() {
        VECTOR.close();
    }

    /** Random values in [lo, hi) with the special values mixed in at the front when {@code special}. */
    private static float[] input(int n, long seed, double lo, double hi, boolean special) {
        float[] x = uniform(new SplittableRandom(seed), n, lo, hi);
        if (special) {
            System.arraycopy(SPECIAL, 0, x, 0, Math.min(n, SPECIAL.length));
        }
        return x;
    }

    // ---------------------------------------------------------------- element-wise (bitwise)

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 3, 15, 16, 17, 31, 33, 100, 257, 1000, 4103, 4127})
    void elementWiseArithmeticIsBitwiseEqual(int n) {
        float[] a = input(n, 1, -3, 3, true);
        float[] b = input(n, 2, -3, 3, false);
        for (String op : new String[] {"add", "sub", "mul", "scale", "axpy", "fill"}) {
            float[] expected = input(n + 5, 3, -1, 1, false);
            float[] actual = expected.clone();
            apply(SCALAR, op, a, b, expected, n);
            apply(VECTOR, op, a, b, actual, n);
            assertBitwise(op, expected, actual, n + 5);
        }
    }

    private static void apply(Kernels k, String op, float[] a, float[] b, float[] out, int n) {
        switch (op) {
            case "add" -> k.add(a, b, out, n);
            case "sub" -> k.sub(a, b, out, n);
            case "mul" -> k.mul(a, b, out, n);
            case "scale" -> k.scale(-1.25f, a, out, n);
            case "axpy" -> k.axpy(0.3f, a, out, n);
            case "fill" -> k.fill(out, n, 2.5f);
            default -> throw new IllegalArgumentException(op);
        }
    }

    @Test
    void elementWiseWorksInPlace() {
        float[] a = input(37, 4, -1, 1, false);
        float[] expected = a.clone();
        float[] actual = a.clone();
        SCALAR.mul(expected, expected, expected, 37);
        VECTOR.mul(actual, actual, actual, 37);
        assertBitwise("in-place mul", expected, actual, 37);
    }

    // ---------------------------------------------------------------- row-wise

    private static final int[][] ROW_SHAPES = {{1, 1}, {3, 17}, {5, 16}, {7, 33}, {4, 100}, {2, 257}, {64, 10}, {3, 3}};

    @Test
    void rowVectorOperationsAreBitwiseEqual() {
        for (int[] shape : ROW_SHAPES) {
            int rows = shape[0];
            int cols = shape[1];
            String at = rows + "x" + cols;
            float[] x = input(rows * cols, rows, -2, 2, true);
            float[] bias = input(cols, cols, -1, 1, false);
            float[] factor = input(rows, 7, -2, 2, false);

            float[] expected = x.clone();
            float[] actual = x.clone();
            SCALAR.addRowVector(expected, rows, cols, bias);
            VECTOR.addRowVector(actual, rows, cols, bias);
            assertBitwise("addRowVector " + at, expected, actual, x.length);

            float[] sumExpected = input(cols, 9, -1, 1, false);
            float[] sumActual = sumExpected.clone();
            SCALAR.sumRows(x, rows, cols, sumExpected, true);
            VECTOR.sumRows(x, rows, cols, sumActual, true);
            assertBitwise("sumRows accumulate " + at, sumExpected, sumActual, cols);
            SCALAR.sumRows(x, rows, cols, sumExpected, false);
            VECTOR.sumRows(x, rows, cols, sumActual, false);
            assertBitwise("sumRows " + at, sumExpected, sumActual, cols);

            SCALAR.scaleRows(x, rows, cols, factor, expected);
            VECTOR.scaleRows(x, rows, cols, factor, actual);
            assertBitwise("scaleRows " + at, expected, actual, x.length);
        }
    }

    /** The unfused composition that the fused epilogues promise to equal. */
    private static final class Composed {
        static void addRowVectorRelu(float[] x, int rows, int cols, float[] bias) {
            if (bias != null) SCALAR.addRowVector(x, rows, cols, bias);
            SCALAR.relu(x, x, rows * cols);
        }

        static void reluBackwardSumRows(float[] y, float[] dy, float[] dz, int rows, int cols, float[] biasGradient) {
            SCALAR.reluBackward(y, dy, dz, rows * cols);
            if (biasGradient != null) SCALAR.sumRows(dz, rows, cols, biasGradient, true);
        }
    }

    @Test
    void fusedDenseEpiloguesEqualTheUnfusedOperations() {
        for (int[] shape : ROW_SHAPES) {
            int rows = shape[0];
            int cols = shape[1];
            String at = rows + "x" + cols;
            float[] x = input(rows * cols, 11L * rows + cols, -2, 2, true);
            float[] bias = input(cols, cols + 1, -1, 1, false);
            for (float[] b : new float[][] {bias, null}) {
                String what = "addRowVectorRelu " + at + (b == null ? " no bias" : "");
                float[] composed = x.clone();
                float[] scalar = x.clone();
                float[] vector = x.clone();
                Composed.addRowVectorRelu(composed, rows, cols, b);
                SCALAR.addRowVectorRelu(scalar, rows, cols, b);
                VECTOR.addRowVectorRelu(vector, rows, cols, b);
                assertBitwise(what + " (scalar vs composed)", composed, scalar, x.length);
                assertBitwise(what, scalar, vector, x.length);
            }

            float[] y = x.clone();
            SCALAR.relu(y, y, y.length);
            float[] dy = input(rows * cols, 5L * rows + cols, -3, 3, false);
            float[] start = input(cols, 13, -1, 1, false);
            for (boolean withBias : new boolean[] {true, false}) {
                String what = "reluBackwardSumRows " + at + (withBias ? "" : " no bias");
                float[] dzComposed = new float[dy.length];
                float[] dzScalar = new float[dy.length];
                float[] dzVector = new float[dy.length];
                float[] gComposed = start.clone();
                float[] gScalar = start.clone();
                float[] gVector = start.clone();
                Composed.reluBackwardSumRows(y, dy, dzComposed, rows, cols, withBias ? gComposed : null);
                SCALAR.reluBackwardSumRows(y, dy, dzScalar, rows, cols, withBias ? gScalar : null);
                VECTOR.reluBackwardSumRows(y, dy, dzVector, rows, cols, withBias ? gVector : null);
                assertBitwise(what + " dz (scalar vs composed)", dzComposed, dzScalar, dy.length);
                assertBitwise(what + " bias (scalar vs composed)", gComposed, gScalar, cols);
                assertBitwise(what + " dz", dzScalar, dzVector, dy.length);
                assertBitwise(what + " bias", gScalar, gVector, cols);
            }
            // In place: dz is dy.
            float[] inPlaceScalar = dy.clone();
            float[] inPlaceVector = dy.clone();
            float[] gScalar = start.clone();
            float[] gVector = start.clone();
            SCALAR.reluBackwardSumRows(y, inPlaceScalar, inPlaceScalar, rows, cols, gScalar);
            VECTOR.reluBackwardSumRows(y, inPlaceVector, inPlaceVector, rows, cols, gVector);
            assertBitwise("reluBackwardSumRows in place " + at, inPlaceScalar, inPlaceVector, dy.length);
            assertBitwise("reluBackwardSumRows in place bias " + at, gScalar, gVector, cols);
        }
    }

    @Test
    void rowReductionsMatch() {
        for (int[] shape : ROW_SHAPES) {
            int rows = shape[0];
            int cols = shape[1];
            String at = rows + "x" + cols;
            float[] a = input(rows * cols, 11, -2, 2, false);
            float[] b = input(rows * cols, 12, -2, 2, false);
            float[] expected = new float[rows];
            float[] actual = new float[rows];

            SCALAR.rowDots(a, b, expected, rows, cols);
            VECTOR.rowDots(a, b, actual, rows, cols);
            for (int r = 0; r < rows; r++) {
                assertClose("rowDots " + at + " row " + r, expected[r], actual[r], 0, 1e-6 * sumAbsProducts(a, b, r * cols, cols));
            }
            SCALAR.rowSumSquares(a, rows, cols, expected);
            VECTOR.rowSumSquares(a, rows, cols, actual);
            assertClose("rowSumSquares " + at, expected, actual, rows, 1e-6, 0);

            SCALAR.logSumExpRows(a, expected, rows, cols);
            VECTOR.logSumExpRows(a, actual, rows, cols);
            assertClose("logSumExpRows " + at, expected, actual, rows, RTOL, 1e-6);
        }
    }

    private static double sumAbsProducts(float[] a, float[] b, int from, int n) {
        double s = 0;
        for (int i = from; i < from + n; i++) {
            s += Math.abs((double) a[i] * b[i]);
        }
        return s;
    }

    @Test
    void softmaxAndItsBackwardMatch() {
        for (int[] shape : ROW_SHAPES) {
            int rows = shape[0];
            int cols = shape[1];
            String at = rows + "x" + cols;
            float[] x = input(rows * cols, 21, -20, 20, false);
            float[] expected = new float[x.length];
            float[] actual = new float[x.length];
            SCALAR.softmaxRows(x, expected, rows, cols);
            VECTOR.softmaxRows(x, actual, rows, cols);
            assertClose("softmaxRows " + at, expected, actual, x.length, RTOL, 1e-12);

            float[] dy = input(x.length, 22, -1, 1, false);
            float[] dxExpected = new float[x.length];
            float[] dxActual = new float[x.length];
            SCALAR.softmaxBackwardRows(expected, dy, dxExpected, rows, cols);
            VECTOR.softmaxBackwardRows(expected, dy, dxActual, rows, cols);
            assertClose("softmaxBackwardRows " + at, dxExpected, dxActual, x.length, RTOL, 1e-7);
        }
    }

    @Test
    void softmaxInPlaceAndLogSumExpOfMinusInfinity() {
        float[] x = {1f, 2f, 3f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] expected = x.clone();
        float[] actual = x.clone();
        SCALAR.softmaxRows(expected, expected, 2, 3);
        VECTOR.softmaxRows(actual, actual, 2, 3);
        assertClose("in-place softmax", expected, actual, 3, RTOL, 0);
        float[] lse = new float[2];
        VECTOR.logSumExpRows(x, lse, 2, 3);
        assertEquals(Float.NEGATIVE_INFINITY, lse[1]);
        assertClose("logSumExp(1,2,3)", Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), lse[0], 1e-6, 0);
    }

    @Test
    void argmaxMatchesIncludingTiesAndNaN() {
        SplittableRandom random = new SplittableRandom(31);
        for (int[] shape : ROW_SHAPES) {
            int rows = shape[0];
            int cols = shape[1];
            float[] x = new float[rows * cols];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextInt(4); // many ties
            }
            int[] expected = new int[rows];
            int[] actual = new int[rows];
            SCALAR.argmaxRows(x, rows, cols, expected);
            VECTOR.argmaxRows(x, rows, cols, actual);
            assertArrayEquals(expected, actual, "argmaxRows " + rows + "x" + cols);
        }
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        float[][] rows = {
                {nan, 5f, 7f}, {1f, nan, 2f}, {-0f, 0f, -0f}, {-inf, -inf, -inf}, {-inf, nan, nan}, {3f, inf, inf},
        };
        int cols = 20;
        float[] x = new float[rows.length * cols];
        Arrays.fill(x, -1e30f);
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, x, r * cols, rows[r].length);
        }
        // Rows 3 and 4 are −∞/NaN only: put the same value in their padding too.
        Arrays.fill(x, 3 * cols + 3, 4 * cols, Float.NEGATIVE_INFINITY);
        Arrays.fill(x, 4 * cols + 3, 5 * cols, Float.NaN);
        int[] expected = new int[rows.length];
        int[] actual = new int[rows.length];
        SCALAR.argmaxRows(x, rows.length, cols, expected);
        VECTOR.argmaxRows(x, rows.length, cols, actual);
        assertArrayEquals(new int[] {0, 2, 0, 0, 0, 1}, expected, "scalar reference");
        assertArrayEquals(expected, actual, "argmaxRows special values");
    }

    // ---------------------------------------------------------------- activations

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 3, 15, 16, 17, 31, 33, 100, 257})
    void reluFamilyAndBackwardsAreBitwiseEqual(int n) {
        float[] x = input(n, 41, -3, 3, true);
        float[] dy = input(n, 42, -1, 1, false);
        float[] y = input(n, 43, -1, 1, false); // a forward output for the σ/tanh backward passes
        float[] expected = new float[n];
        float[] actual = new float[n];

        SCALAR.relu(x, expected, n);
        VECTOR.relu(x, actual, n);
        assertBitwise("relu", expected, actual, n);
        SCALAR.reluBackward(x, dy, expected, n);
        VECTOR.reluBackward(x, dy, actual, n);
        assertBitwise("reluBackward", expected, actual, n);
        SCALAR.leakyRelu(0.01f, x, expected, n);
        VECTOR.leakyRelu(0.01f, x, actual, n);
        assertBitwise("leakyRelu", expected, actual, n);
        SCALAR.leakyReluBackward(0.2f, x, dy, expected, n);
        VECTOR.leakyReluBackward(0.2f, x, dy, actual, n);
        assertBitwise("leakyReluBackward", expected, actual, n);
        SCALAR.sigmoidBackward(y, dy, expected, n);
        VECTOR.sigmoidBackward(y, dy, actual, n);
        assertBitwise("sigmoidBackward", expected, actual, n);
        SCALAR.tanhBackward(y, dy, expected, n);
        VECTOR.tanhBackward(y, dy, actual, n);
        assertBitwise("tanhBackward", expected, actual, n);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 3, 15, 16, 17, 31, 33, 100, 257, 263, 303, 1000})
    void transcendentalActivationsMatch(int n) {
        float[] x = input(n, 51, -8, 8, true);
        float[] dy = input(n, 52, -1, 1, false);
        float[] expected = new float[n];
        float[] actual = new float[n];

        SCALAR.sigmoid(x, expected, n);
        VECTOR.sigmoid(x, actual, n);
        assertClose("sigmoid", expected, actual, n, RTOL, 1e-30);
        SCALAR.tanh(x, expected, n);
        VECTOR.tanh(x, actual, n);
        assertClose("tanh", expected, actual, n, RTOL, 1e-30);
        for (boolean approx : new boolean[] {false, true}) {
            // The scalar twin loses relative precision far in the negative tail (1 + erf cancels in
            // double), where both are within 1e-6 of each other absolutely.
            SCALAR.gelu(x, expected, n, approx);
            VECTOR.gelu(x, actual, n, approx);
            assertClose("gelu tanh=" + approx, expected, actual, n, RTOL, 1e-6);
            SCALAR.geluBackward(x, dy, expected, n, approx);
            VECTOR.geluBackward(x, dy, actual, n, approx);
            assertClose("geluBackward tanh=" + approx, expected, actual, n, RTOL, 1e-6);
        }
    }

    @Test
    void activationsWorkInPlace() {
        float[] x = input(50, 61, -4, 4, false);
        float[] expected = x.clone();
        float[] actual = x.clone();
        SCALAR.gelu(expected, expected, 50, false);
        VECTOR.gelu(actual, actual, 50, false);
        assertClose("in-place gelu", expected, actual, 50, RTOL, 1e-6);
    }

    @Test
    void geluHasKnownValues() {
        float[] x = {-3f, -1f, 0f, 1f, 3f};
        // x·Φ(x) with Φ from tables.
        double[] exact = {-0.0040496, -0.1586553, 0, 0.8413447, 2.9959503};
        float[] y = new float[5];
        VECTOR.gelu(x, y, 5, false);
        for (int i = 0; i < 5; i++) {
            assertClose("gelu(" + x[i] + ")", exact[i], y[i], 1e-5, 3e-7);
        }
        VECTOR.gelu(x, y, 5, true);
        for (int i = 0; i < 5; i++) {
            // The tanh form differs from the exact one by at most ~2e-4 on this range.
            assertClose("gelu tanh(" + x[i] + ")", exact[i], y[i], 0, 5e-4);
        }
    }

    // ---------------------------------------------------------------- reductions

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 3, 15, 16, 17, 31, 33, 63, 64, 65, 100, 257, 1000})
    void reductionsMatch(int n) {
        float[] a = input(n, 71, -2, 2, false);
        float[] b = input(n, 72, -2, 2, false);
        double absA = 0;
        for (int i = 0; i < n; i++) {
            absA += Math.abs(a[i]);
        }
        assertClose("sum", SCALAR.sum(a, n), VECTOR.sum(a, n), 0, 1e-6 * absA + 1e-30);
        assertClose("dot", SCALAR.dot(a, b, n), VECTOR.dot(a, b, n), 0, 1e-6 * sumAbsProducts(a, b, 0, n) + 1e-30);
        assertClose("sumSquares", SCALAR.sumSquares(a, n), VECTOR.sumSquares(a, n), 1e-6, 1e-30);
        assertEquals(-1, VECTOR.firstNonFinite(a, n));
    }

    @Test
    void reductionsIgnoreElementsPastN() {
        float[] a = {1f, 2f, 3f, Float.NaN, 100f};
        assertEquals(6f, VECTOR.sum(a, 3));
        assertEquals(14f, VECTOR.dot(a, a, 3));
        assertEquals(-1, VECTOR.firstNonFinite(a, 3));
    }

    @Test
    void firstNonFiniteFindsTheFirstBadElement() {
        for (int n : new int[] {1, 15, 16, 17, 40, 100}) {
            for (int bad = 0; bad < n; bad += 7) {
                for (float value : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                    float[] x = input(n, n, -1, 1, false);
                    x[bad] = value;
                    if (bad + 3 < n) {
                        x[bad + 3] = Float.NaN;
                    }
                    assertEquals(SCALAR.firstNonFinite(x, n), VECTOR.firstNonFinite(x, n), "n=" + n + " bad=" + bad);
                    assertEquals(bad, VECTOR.firstNonFinite(x, n));
                }
            }
        }
    }

    // ---------------------------------------------------------------- dropout

    @Test
    void dropoutMaskIsIdenticalToScalar() {
        for (float p : new float[] {0f, 0.1f, 0.5f, 1f}) {
            float[] expected = new float[257];
            float[] actual = new float[257];
            SCALAR.dropoutMask(1234L, p, expected, 257);
            VECTOR.dropoutMask(1234L, p, actual, 257);
            assertBitwise("dropout p=" + p, expected, actual, 257);
        }
    }

    // ---------------------------------------------------------------- construction

    @Test
    void nameAndThreads() {
        try (Kernels one = new VectorKernels(1)) {
            assertEquals(1, one.threads());
            assertEquals("vector(" + VectorKernels.LANES + " lanes, 1 thread)", one.name());
        }
        assertEquals(2, VECTOR.threads());
        assertEquals("vector(" + VectorKernels.LANES + " lanes, 2 threads)", VECTOR.name());
        assertTrue(VectorKernels.LANES >= 4, "SPECIES_PREFERRED has " + VectorKernels.LANES + " float lanes");
    }

    @Test
    void rejectsNonPositiveThreadCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VectorKernels(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }
}
