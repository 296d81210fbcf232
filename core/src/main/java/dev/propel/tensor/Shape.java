package dev.propel.tensor;

import java.util.Arrays;

/**
 * The dimensions of a dense row-major tensor. Immutable.
 *
 * <p>Layer shapes in Propel are <em>per sample</em> (e.g. {@code [784]}); tensors flowing through a
 * model carry the batch as their first dimension (e.g. {@code [128, 784]}).
 */
public final class Shape {
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        long s = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new ShapeException("dimension " + i + " of " + Arrays.toString(dims)
                        + " is negative; every dimension must be >= 0");
            }
            s *= dims[i];
            if (s > Integer.MAX_VALUE - 8) {
                throw new ShapeException("shape " + Arrays.toString(dims) + " has more than "
                        + (Integer.MAX_VALUE - 8) + " elements, the most one float[] tensor can hold");
            }
        }
        this.dims = dims;
        this.size = s;
    }

    /** A shape with these dimensions (copied); throws {@link ShapeException} for a negative dimension. */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /**
     * The size of dimension {@code axis} (0 = first); throws {@link ShapeException} for an axis outside {@code [0,
     * rank)}.
     */
    public int dim(int axis) {
        if (axis < 0 || axis >= dims.length) {
            throw new ShapeException("axis " + axis + " is out of range for shape " + this + " of rank " + dims.length);
        }
        return dims[axis];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** Total number of elements. */
    public int size() {
        return (int) size;
    }

    /** This shape with a batch dimension in front: {@code [784].withBatch(32) == [32, 784]}. */
    public Shape withBatch(int batch) {
        int[] d = new int[dims.length + 1];
        d[0] = batch;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /** This shape without its first (batch) dimension. */
    public Shape withoutBatch() {
        if (dims.length == 0) {
            throw new ShapeException("a scalar shape [] has no batch dimension to drop");
        }
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** Elements per entry of the first dimension: for {@code [b, 28, 28]} that is 784. */
    public int rowSize() {
        if (dims.length == 0) {
            return 1;
        }
        return dims[0] == 0 ? sizeWithout0() : (int) (size / dims[0]);
    }

    private int sizeWithout0() {
        long s = 1;
        for (int i = 1; i < dims.length; i++) {
            s *= dims[i];
        }
        return (int) s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
