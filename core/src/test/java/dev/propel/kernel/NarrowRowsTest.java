package dev.propel.kernel;

import static dev.propel.kernel.KernelAssertions.assertBitwise;
import static dev.propel.kernel.KernelAssertions.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link NarrowRows}' scalar code gives the same bits as {@link VectorRows}' vector code on every row
 * width it takes, at this JVM's vector width (the build runs it at 128, 256 and 512 bits): switching
 * path must change no result of a training run. Inputs mix ordinary values with the ones that stress
 * the lane order and the special cases (NaN, ±∞, ±0, values that overflow or underflow e^x).
 */
class NarrowRowsTest {

    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            100f, -100f, 1e-30f, -1e-30f, 88f, -110f, Float.MIN_VALUE, 3.5f, -3.5f};
    private static final int ROWS = 7;
    private static final int TRIALS = 40;

    @ParameterizedTest(name = "cols={0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 9, 10, 15, 16, 17, 20, 24, 31})
    void scalarCodeGivesTheVectorCodesBits(int cols) {
        assertTrue(NarrowRows.applies(cols));
        SplittableRandom random = new SplittableRandom(cols);
        for (int trial = 0; trial < TRIALS; trial++) {
            float[] a = values(random, trial, cols);
            float[] b = values(random, trial + 1, cols);
            float[] bias = values(random, trial + 2, cols);
            float[] factor = values(random, trial + 3, ROWS);
            String at = " cols=" + cols + " trial=" + trial;
            int n = ROWS * cols;

            float[] expected = a.clone();
            float[] actual = a.clone();
            VectorRows.vectorAddRowVector(expected, ROWS, cols, bias);
            VectorKernels.SCALAR.addRowVector(actual, ROWS, cols, bias);
            assertBitwise("addRowVector" + at, expected, actual, n);

            expected = a.clone();
            actual = a.clone();
            VectorRows.vectorAddRowVectorRelu(expected, ROWS, cols, bias);
            VectorKernels.SCALAR.addRowVectorRelu(actual, ROWS, cols, bias);
            assertBitwise("addRowVectorRelu" + at, expected, actual, n);

            float[] expectedDz = new float[n];
            float[] actualDz = new float[n];
            float[] expectedBias = bias.clone();
            float[] actualBias = bias.clone();
            VectorRows.vectorReluBackwardSumRows(a, b, expectedDz, ROWS, cols, expectedBias);
            VectorKernels.SCALAR.reluBackwardSumRows(a, b, actualDz, ROWS, cols, actualBias);
            assertBitwise("reluBackwardSumRows dz" + at, expectedDz, actualDz, n);
            assertBitwise("reluBackwardSumRows bias" + at, expectedBias, actualBias, cols);

            for (boolean accumulate : new boolean[] {false, true}) {
                expectedBias = bias.clone();
                actualBias = bias.clone();
                VectorRows.vectorSumRows(a, ROWS, cols, expectedBias, accumulate);
                VectorKernels.SCALAR.sumRows(a, ROWS, cols, actualBias, accumulate);
                assertBitwise("sumRows accumulate=" + accumulate + at, expectedBias, actualBias, cols);
            }

            expected = new float[n];
            actual = new float[n];
            VectorRows.vectorScaleRows(a, ROWS, cols, factor, expected);
            VectorKernels.SCALAR.scaleRows(a, ROWS, cols, factor, actual);
            assertBitwise("scaleRows" + at, expected, actual, n);

            expected = new float[ROWS];
            actual = new float[ROWS];
            VectorRows.vectorRowDots(a, b, expected, ROWS, cols);
            NarrowRows.rowDots(a, b, actual, ROWS, cols);
            assertBitwise("rowDots" + at, expected, actual, ROWS);

            expected = new float[n];
            actual = new float[n];
            VectorRows.vectorSoftmaxRows(a, expected, ROWS, cols);
            NarrowRows.softmaxRows(a, actual, ROWS, cols);
            assertBitwise("softmaxRows" + at, expected, actual, n);

            float[] y = expected;
            expected = new float[n];
            actual = new float[n];
            VectorRows.vectorSoftmaxBackwardRows(y, b, expected, ROWS, cols);
            NarrowRows.softmaxBackwardRows(y, b, actual, ROWS, cols);
            assertBitwise("softmaxBackwardRows" + at, expected, actual, n);

            expected = new float[ROWS];
            actual = new float[ROWS];
            VectorRows.vectorLogSumExpRows(a, expected, ROWS, cols);
            NarrowRows.logSumExpRows(a, actual, ROWS, cols);
            assertBitwise("logSumExpRows" + at, expected, actual, ROWS);

            int[] expectedIndex = new int[ROWS];
            int[] actualIndex = new int[ROWS];
            VectorRows.vectorArgmaxRows(a, ROWS, cols, expectedIndex);
            VectorKernels.SCALAR.argmaxRows(a, ROWS, cols, actualIndex);
            assertArrayEquals(expectedIndex, actualIndex, "argmaxRows" + at);
        }
    }

    @ParameterizedTest(name = "cols={0}")
    @ValueSource(ints = {32, 33, 100})
    void widerRowsKeepTheVectorCode(int cols) {
        assertFalse(NarrowRows.applies(cols));
    }

    /**
     * ROWS rows: on odd trials ordinary values in [−4, 4), on even ones a few special values dropped
     * at random places (so a NaN or ∞ meets every lane), on every fifth trial a row of −∞ and one of
     * equal values (argmax ties, log-sum-exp of −∞).
     */
    private static float[] values(SplittableRandom random, int trial, int cols) {
        float[] x = uniform(random, ROWS * cols, -4, 4);
        if (trial % 2 == 0) {
            for (int i = 0; i < 3; i++) {
                x[random.nextInt(x.length)] = SPECIAL[random.nextInt(SPECIAL.length)];
            }
        }
        if (trial % 5 == 0) {
            java.util.Arrays.fill(x, 0, cols, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(x, cols, 2 * cols, 0.25f);
        }
        return x;
    }
}
