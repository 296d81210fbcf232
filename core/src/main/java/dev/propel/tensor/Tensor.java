package dev.propel.tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A float32 tensor: an array plus a view of it (shape, strides, offset), as in tinygrad or PyTorch.
 *
 * <p>Most tensors are <em>dense</em>: row-major from index 0, elements at {@code data()[0 .. size())}.
 * The backing array may be longer than the shape needs: a reusable buffer sized for a full batch can
 * hold a smaller last batch without reallocating. Kernels take explicit lengths, so they never look past
 * {@link #size()}.
 *
 * <p>{@link #slice}, {@link #select} and {@link #transpose} make <em>views</em> that share the array
 * with other strides and an offset: a time step of {@code [batch, time, features]}, a gate block of
 * {@code [B, 4H]}, a channel of NCHW data or a transposed matrix, without copying. A layer passes a
 * view's {@link #offset()} and {@link #stride strides} to the kernels (GEMM's leading dimension,
 * {@code copyRows}' strides, the primitives' offsets). What a layer returns, and what a model is given,
 * is dense ({@link #isDense()}); {@link #contiguous()} copies a view into a dense tensor.
 */
public final class Tensor {
    private final Shape shape;
    private final float[] data;
    private final int offset;
    /** Element strides per axis; {@code null} for a dense tensor (row-major from index 0). */
    private final int[] strides;

    private Tensor(Shape shape, float[] data) {
        if (data.length < shape.size()) {
            throw new ShapeException("shape " + shape + " needs " + shape.size()
                    + " floats but the array holds only " + data.length);
        }
        this.shape = shape;
        this.data = data;
        this.offset = 0;
        this.strides = null;
    }

    private Tensor(Shape shape, float[] data, int offset, int[] strides) {
        this.shape = shape;
        this.data = data;
        this.offset = offset;
        this.strides = strides;
    }

    private static int[] rowMajorStrides(Shape shape) {
        int[] st = new int[shape.rank()];
        int s = 1;
        for (int i = st.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= shape.dim(i);
        }
        return st;
    }

    /** A new tensor of {@code shape} filled with zeros. */
    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, new float[shape.size()]);
    }

    /** A new tensor of shape {@code dims} filled with zeros. */
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

    /** The tensor's shape (for a view, the view's own shape). */
    public Shape shape() {
        return shape;
    }

    /** The backing array; see the class comment for its length. A view's elements start at {@link #offset()}. */
    public float[] data() {
        return data;
    }

    /** Index in {@link #data()} of element {@code [0, 0, …]}; 0 for a dense tensor. */
    public int offset() {
        return offset;
    }

    /** The distance in {@link #data()} between neighbours along {@code axis}. */
    public int stride(int axis) {
        if (strides != null) {
            if (axis < 0 || axis >= strides.length) shape.dim(axis); // throws naming the axis and shape
            return strides[axis];
        }
        int s = 1;
        for (int i = shape.rank() - 1; i > axis; i--) s *= shape.dim(i);
        shape.dim(axis); // checks the axis
        return s;
    }

    /** Every axis' stride. */
    public int[] strides() {
        return strides != null ? strides.clone() : rowMajorStrides(shape);
    }

    /** True for a row-major tensor starting at index 0 of its array: what layers return and kernels read without offsets. */
    public boolean isDense() {
        return strides == null || (offset == 0 && isRowMajor());
    }

    private boolean isRowMajor() {
        int s = 1;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            if (shape.dim(i) != 1 && strides[i] != s) return false;
            s *= shape.dim(i);
        }
        return true;
    }

    /**
     * The view of {@code length} entries of {@code axis} from {@code start}: e.g. the time steps 3..5 of
     * {@code [batch, time, features]}, or gate block g of {@code [B, 4H]} ({@code slice(1, g·H, H)}). Shares the array.
     */
    public Tensor slice(int axis, int start, int length) {
        int d = shape.dim(axis);
        if (start < 0 || length < 0 || start > d - length) {
            throw new ShapeException("cannot slice " + length + " entries from " + start + " of axis " + axis + " of " + shape
                    + ": the axis has " + d);
        }
        int[] dims = shape.dims();
        dims[axis] = length;
        return new Tensor(Shape.of(dims), data, offset + start * stride(axis), strides());
    }

    /** The view at {@code index} of {@code axis}, without that axis: e.g. time step t of {@code [batch, time, features]} is {@code [batch, features]}. */
    public Tensor select(int axis, int index) {
        int d = shape.dim(axis);
        if (index < 0 || index >= d) {
            throw new IndexOutOfBoundsException("index " + index + " is outside axis " + axis + " of " + shape + " (size " + d + ")");
        }
        int[] dims = shape.dims();
        int[] st = strides();
        int[] newDims = new int[dims.length - 1];
        int[] newStrides = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i == axis) continue;
            newDims[j] = dims[i];
            newStrides[j++] = st[i];
        }
        return new Tensor(Shape.of(newDims), data, offset + index * st[axis], newStrides);
    }

    /** The view with axes {@code a} and {@code b} swapped (a transposed matrix for {@code transpose(0, 1)}). */
    public Tensor transpose(int a, int b) {
        int[] dims = shape.dims();
        int[] st = strides();
        shape.dim(a);
        shape.dim(b);
        int t = dims[a];
        dims[a] = dims[b];
        dims[b] = t;
        t = st[a];
        st[a] = st[b];
        st[b] = t;
        return new Tensor(Shape.of(dims), data, offset, st);
    }

    /** This tensor if it is dense, otherwise a dense copy of its elements in row-major order. */
    public Tensor contiguous() {
        return isDense() ? this : copy();
    }

    /** Index in {@link #data()} of the element at row-major position {@code flat}. */
    private int indexOf(int flat) {
        if (strides == null) return flat;
        int idx = offset;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            int d = shape.dim(i);
            idx += (flat % d) * strides[i];
            flat /= d;
        }
        return idx;
    }

    private Tensor requireDense(String operation) {
        if (!isDense()) {
            throw new ShapeException(operation + " needs a dense tensor but this is a view " + shape + " with strides "
                    + java.util.Arrays.toString(strides) + " from offset " + offset + "; call contiguous() first");
        }
        return this;
    }

    /** The number of elements ({@code shape().size()}). */
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
        requireDense("view as " + newShape);
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

    /**
     * The element at {@code index} (one coordinate per dimension); throws {@link ShapeException} for a wrong number of
     * coordinates and {@link IndexOutOfBoundsException} for one outside the shape.
     */
    public float get(int... index) {
        return data[offset(index)];
    }

    /** Sets the element at {@code index} (one coordinate per dimension) to {@code value}; throws like {@link #get}. */
    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.rank()) {
            throw new ShapeException("index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates but the tensor " + shape + " has rank " + shape.rank());
        }
        int off = 0;
        int[] st = strides;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is outside shape " + shape);
            }
            off = st == null ? off * d + index[i] : off + index[i] * st[i];
        }
        return st == null ? off : offset + off;
    }

    /** A dense deep copy with a tight backing array (of a view: its elements in row-major order). */
    public Tensor copy() {
        return new Tensor(shape, toArray());
    }

    /** Copies {@code src} (same size, elements in row-major order) into this tensor. */
    public void copyFrom(Tensor src) {
        if (src.size() != size()) {
            throw new ShapeException("cannot copy a tensor of shape " + src.shape + " into one of shape " + shape);
        }
        if (isDense() && src.isDense()) {
            System.arraycopy(src.data, 0, data, 0, size());
            return;
        }
        for (int i = 0; i < size(); i++) data[indexOf(i)] = src.data[src.indexOf(i)];
    }

    /** The elements in row-major order as a tight array (a copy). */
    public float[] toArray() {
        if (isDense()) return Arrays.copyOf(data, shape.size());
        float[] out = new float[shape.size()];
        for (int i = 0; i < out.length; i++) out[i] = data[indexOf(i)];
        return out;
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
            sb.append(i == 0 ? "" : ", ").append(data[indexOf(i)]);
        }
        return sb.append(size() > n ? ", ...]" : "]").toString();
    }
}
