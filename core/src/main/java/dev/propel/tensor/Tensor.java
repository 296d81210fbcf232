package dev.propel.tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A dense, row-major float32 tensor.
 *
 * <p>The backing array may be longer than the shape needs: a reusable buffer sized for a full batch
 * can hold a smaller last batch without reallocating. Elements live at {@code data()[0 .. size())}.
 * Kernels take explicit lengths, so they never look past {@link #size()}.
 */
public final class Tensor {
    private final Shape shape;
    private final float[] data;

    private Tensor(Shape shape, float[] data) {
        if (data.length < shape.size()) {
            throw new ShapeException("shape " + shape + " needs " + shape.size()
                    + " floats but the array holds only " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, new float[shape.size()]);
    }

    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /** Wraps {@code data} without copying; {@code data.length} must be at least {@code shape.size()}. */
    public static Tensor wrap(float[] data, Shape shape) {
        return new Tensor(shape, data);
    }

    /** Copies {@code values} into a new tensor of the given shape; the counts must match exactly. */
    public static Tensor of(float[] values, int... dims) {
        Shape s = Shape.of(dims);
        if (values.length != s.size()) {
            throw new ShapeException("shape " + s + " needs " + s.size() + " values but " + values.length + " were given");
        }
        return new Tensor(s, values.clone());
    }

    /** A tensor of independent N(0, std²) values drawn from {@code rng}. */
    public static Tensor randn(RandomGenerator rng, float std, int... dims) {
        Tensor t = zeros(dims);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (rng.nextGaussian() * std);
        }
        return t;
    }

    public Shape shape() {
        return shape;
    }

    /** The backing array; see the class comment for its length. */
    public float[] data() {
        return data;
    }

    public int size() {
        return shape.size();
    }

    /** Size of the first dimension (the batch, for activations). */
    public int rows() {
        return shape.rank() == 0 ? 1 : shape.dim(0);
    }

    /** Elements per row: {@code size() / rows()}. */
    public int rowSize() {
        return shape.rowSize();
    }

    /** A tensor that shares this one's data with another shape of the same or smaller size. */
    public Tensor view(Shape newShape) {
        if (newShape.size() > data.length) {
            throw new ShapeException("cannot view " + shape + " as " + newShape + ": that needs "
                    + newShape.size() + " floats and the buffer holds " + data.length);
        }
        return newShape.equals(shape) ? this : new Tensor(newShape, data);
    }

    /** The same data seen with another shape of exactly the same size. */
    public Tensor reshape(int... dims) {
        Shape s = Shape.of(dims);
        if (s.size() != shape.size()) {
            throw new ShapeException("cannot reshape " + shape + " (" + shape.size() + " elements) to "
                    + s + " (" + s.size() + " elements)");
        }
        return view(s);
    }

    public float get(int... index) {
        return data[offset(index)];
    }

    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.rank()) {
            throw new ShapeException("index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates but the tensor " + shape + " has rank " + shape.rank());
        }
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is outside shape " + shape);
            }
            off = off * d + index[i];
        }
        return off;
    }

    /** A deep copy with a tight backing array. */
    public Tensor copy() {
        return new Tensor(shape, Arrays.copyOf(data, shape.size()));
    }

    /** Copies {@code src} (same size) into this tensor. */
    public void copyFrom(Tensor src) {
        if (src.size() != size()) {
            throw new ShapeException("cannot copy a tensor of shape " + src.shape + " into one of shape " + shape);
        }
        System.arraycopy(src.data, 0, data, 0, size());
    }

    /** The elements as a tight array (a copy). */
    public float[] toArray() {
        return Arrays.copyOf(data, shape.size());
    }

    /** Throws a {@link ShapeException} naming {@code what} unless this tensor has exactly {@code expected}. */
    public Tensor requireShape(Shape expected, String what) {
        if (!shape.equals(expected)) {
            throw new ShapeException(what + ": expected shape " + expected + " but got " + shape);
        }
        return this;
    }

    @Override
    public String toString() {
        int n = Math.min(size(), 8);
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append(" [");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        return sb.append(size() > n ? ", ...]" : "]").toString();
    }
}
