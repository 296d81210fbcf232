package dev.propel.format.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Comparisons of outputs from two runtimes: to a relative tolerance, or bit for bit. */
final class Close {
    private Close() {
    }

    /** Every {@code actual[i]} within {@code relative}·max(|expected|, |actual|) (plus 1e-7 near zero) of {@code expected[i]}. */
    static void assertClose(float[] expected, float[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what + ": number of outputs");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            double tolerance = relative * Math.max(Math.abs(e), Math.abs(a)) + 1e-7;
            if (!(Math.abs(e - a) <= tolerance)) {
                fail(what + ": output " + i + " is " + a + " but expected " + e + " (difference " + Math.abs(e - a)
                        + ", tolerance " + tolerance + ")");
            }
        }
    }
}
