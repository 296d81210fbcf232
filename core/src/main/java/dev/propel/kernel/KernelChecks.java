package dev.propel.kernel;

/** Argument checks of the primitive kernels: cheap, allocation-free unless they throw, and explicit about what is wrong. */
final class KernelChecks {
    private KernelChecks() {
    }

    static void range(String what, float[] array, int offset, int n) {
        if (n < 0 || offset < 0 || offset > array.length - n) {
            throw new IndexOutOfBoundsException(what + ": " + n + " values from offset " + offset + " do not fit in an array of "
                    + array.length);
        }
    }

    static void count(String what, int n) {
        if (n < 0) throw new IllegalArgumentException(what + ": the element count must be >= 0, got " + n);
    }

    static void strided(String what, float[] array, int offset, int stride, int rows, int cols) {
        if (rows < 0 || cols < 0 || stride < cols || offset < 0
                || (long) offset + (long) (rows - 1) * stride + cols > array.length) {
            throw new IndexOutOfBoundsException(what + ": " + rows + " rows of " + cols + " values, stride " + stride
                    + ", from offset " + offset + " do not fit in an array of " + array.length);
        }
    }

    static int volume(int outer, int mid, int inner) {
        if (outer < 0 || mid < 0 || inner < 0) {
            throw new IllegalArgumentException("negative extent [" + outer + ", " + mid + ", " + inner + "]");
        }
        long v = (long) outer * mid * inner;
        if (v > Integer.MAX_VALUE) throw new IllegalArgumentException("[" + outer + ", " + mid + ", " + inner + "] exceeds an array");
        return (int) v;
    }

    static int index(int index, int rows, int position) {
        if (index < 0 || index >= rows) {
            throw new IndexOutOfBoundsException("index " + index + " at position " + position + " is outside the table's "
                    + rows + " rows (valid: 0.." + (rows - 1) + ")");
        }
        return index;
    }

    // The argument checks of each primitive, written once for the scalar defaults and the vector overrides.

    /** {@code unary} and {@code affine}: n values of x from xOff, n of y from yOff. */
    static void elementwise(float[] x, int xOff, float[] y, int yOff, int n) {
        range("x", x, xOff, n);
        range("y", y, yOff, n);
    }

    static void binary(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        range("a", a, aOff, n);
        range("b", b, bOff, n);
        range("out", out, oOff, n);
    }

    static void broadcast(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int outer, int mid, int inner) {
        int n = volume(outer, mid, inner);
        range("a", a, aOff, n);
        range("b", b, bOff, mid);
        range("out", out, oOff, n);
    }

    static void reduce(float[] x, int xOff, int outer, int mid, int inner, float[] out, int outOff) {
        range("x", x, xOff, volume(outer, mid, inner));
        range("out", out, outOff, volume(outer, 1, inner));
    }
}
