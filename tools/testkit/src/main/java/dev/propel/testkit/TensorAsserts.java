package dev.propel.testkit;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

/**
 * Element-wise comparisons of tensors whose failure messages name the tensor, the worst element's
 * index and both values. They throw {@link AssertionError}, so they work with any test framework.
 */
public final class TensorAsserts {
    private TensorAsserts() {
    }

    /**
     * Fails unless shapes match and every element satisfies
     * {@code |actual − expected| <= absolute + relative·|expected|}.
     */
    public static void assertClose(String what, Tensor expected, Tensor actual, double relative, double absolute) {
        if (!expected.shape().equals(actual.shape())) {
            throw new AssertionError(what + ": expected shape " + expected.shape() + " but got " + actual.shape());
        }
        float[] e = expected.data();
        float[] a = actual.data();
        int worst = -1;
        double worstExcess = 1;
        int bad = 0;
        for (int i = 0; i < expected.size(); i++) {
            double diff = Math.abs((double) a[i] - e[i]);
            double tol = absolute + relative * Math.abs(e[i]);
            double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / tol;
            if (excess > 1) {
                bad++;
                if (worst < 0 || excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (worst >= 0) {
            throw new AssertionError(what + ": element " + index(expected.shape(), worst) + " is " + a[worst]
                    + " but expected " + e[worst] + " (|difference| " + (float) Math.abs((double) a[worst] - e[worst])
                    + " > tolerance " + (float) (absolute + relative * Math.abs(e[worst])) + "); " + bad + " of "
                    + expected.size() + " elements out of tolerance");
        }
    }

    /** Fails unless shapes match and every element has exactly the same bits. */
    public static void assertBitwiseEqual(String what, Tensor expected, Tensor actual) {
        if (!expected.shape().equals(actual.shape())) {
            throw new AssertionError(what + ": expected shape " + expected.shape() + " but got " + actual.shape());
        }
        for (int i = 0; i < expected.size(); i++) {
            if (Float.floatToRawIntBits(expected.data()[i]) != Float.floatToRawIntBits(actual.data()[i])) {
                throw new AssertionError(what + ": element " + index(expected.shape(), i) + " is " + actual.data()[i]
                        + " but expected exactly " + expected.data()[i]);
            }
        }
    }

    /** The multi-dimensional index of flat position {@code flat}, e.g. {@code "[2, 5] (flat 39)"}. */
    public static String index(Shape shape, int flat) {
        int[] dims = shape.dims();
        int[] idx = new int[dims.length];
        int rest = flat;
        for (int i = dims.length - 1; i >= 0; i--) {
            if (dims[i] == 0) break;
            idx[i] = rest % dims[i];
            rest /= dims[i];
        }
        return java.util.Arrays.toString(idx) + " (flat " + flat + ")";
    }
}
