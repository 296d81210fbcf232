package dev.propel.format.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Comparisons of outputs from two runtimes: to a relative tolerance, or bit for bit. */
final class Close {
    private Close() {
    }

    /**
     * Every {@code actual[i]} within {@code relative}·max(|expected[i]|, |actual[i]|, scale) of {@code expected[i]}, where
     * scale is the largest |expected| value: relative to each value, and to the outputs' scale for values near zero
     * (a sum of 784 products carries rounding errors of the size of its terms, not of its result).
     */
    static void assertClose(float[] expected, float[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what + ": number of outputs");
        double scale = 0;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            double tolerance = relative * Math.max(Math.max(Math.abs(e), Math.abs(a)), scale);
            if (!(Math.abs(e - a) <= tolerance)) {
                fail(what + ": output " + i + " is " + a + " but expected " + e + " (difference " + Math.abs(e - a)
                        + ", tolerance " + tolerance + ")");
            }
        }
    }
}
