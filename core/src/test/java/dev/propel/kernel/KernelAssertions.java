package dev.propel.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/** Random inputs and float comparisons for the kernel tests. */
final class KernelAssertions {

    private KernelAssertions() {
    }

    /** n values uniform in [lo, hi). */
    static float[] uniform(SplittableRandom random, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(lo, hi);
        }
        return x;
    }

    /** Same bits (all NaNs count as equal) in the first n elements. */
    static void assertBitwise(String what, float[] expected, float[] actual, int n) {
        for (int i = 0; i < n; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + "[" + i + "] of " + n + ": expected " + expected[i] + " (scalar) but was " + actual[i]
                        + " (vector), bits " + Integer.toHexString(Float.floatToIntBits(expected[i])) + " vs "
                        + Integer.toHexString(Float.floatToIntBits(actual[i])));
            }
        }
    }

    /** {@code |actual − expected| <= atol + rtol·|expected|}, NaN matching NaN and infinities matching exactly. */
    static void assertClose(String what, float[] expected, float[] actual, int n, double rtol, double atol) {
        for (int i = 0; i < n; i++) {
            assertClose(what + "[" + i + "] of " + n, expected[i], actual[i], rtol, atol);
        }
    }

    static void assertClose(String what, double expected, double actual, double rtol, double atol) {
        if (Double.isNaN(expected) || Double.isNaN(actual) || Double.isInfinite(expected)
                || Double.isInfinite(actual)) {
            if (Double.compare(expected, actual) != 0) {
                fail(what + ": expected " + expected + " but was " + actual);
            }
            return;
        }
        double error = Math.abs(actual - expected);
        double allowed = atol + rtol * Math.abs(expected);
        if (!(error <= allowed)) {
            fail(what + ": expected " + expected + " but was " + actual + " (error " + error + " > allowed "
                    + allowed + ")");
        }
    }
}
