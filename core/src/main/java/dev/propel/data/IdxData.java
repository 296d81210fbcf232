package dev.propel.data;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The content of one IDX file: its element type, its dimensions and the raw big-endian data bytes.
 * Values are decoded on request, so integer labels stay exact and unsigned-byte images cost one
 * byte per pixel until they are turned into floats.
 */
public final class IdxData {
    private final String source;
    private final IdxType type;
    private final int[] dims;
    private final byte[] raw;

    /** {@code raw} holds exactly {@code product(dims) × type.bytes()} big-endian bytes; it is not copied. */
    IdxData(String source, IdxType type, int[] dims, byte[] raw) {
        long expected = type.bytes();
        for (int d : dims) expected *= d;
        if (raw.length != expected) {
            throw new IllegalArgumentException(source + ": " + raw.length + " data bytes for dims "
                    + Arrays.toString(dims) + " of " + type + ", which need " + expected);
        }
        this.source = source;
        this.type = type;
        this.dims = dims.clone();
        this.raw = raw;
    }

    /** Where the data came from (a path or a class-path resource), for error messages. */
    public String source() {
        return source;
    }

    /** The element type declared in the header. */
    public IdxType type() {
        return type;
    }

    /** The dimensions as declared in the header, e.g. {@code [60000, 28, 28]}. */
    public int[] dims() {
        return dims.clone();
    }

    /** The dimensions as a {@link Shape}. */
    public Shape shape() {
        return Shape.of(dims);
    }

    /** The first dimension: the number of items (images, labels). */
    public int count() {
        return dims[0];
    }

    /** Total number of values. */
    public int elementCount() {
        return raw.length / type.bytes();
    }

    /** The first {@code n} items (e.g. images), with their bytes unchanged. */
    public IdxData head(int n) {
        if (n < 0 || n > count()) {
            throw new IllegalArgumentException(source + ": cannot take the first " + n + " of " + count() + " items");
        }
        int[] d = dims.clone();
        d[0] = n;
        long bytes = (long) n * (raw.length / Math.max(1, count()));
        return new IdxData(source + " (first " + n + ")", type, d, Arrays.copyOf(raw, (int) bytes));
    }

    /** The raw big-endian data bytes (not a copy), for writers. */
    byte[] raw() {
        return raw;
    }

    /**
     * All values as floats divided by {@code divisor} (e.g. 255 to bring pixels into [0, 1]), in file
     * order. Each result is the correctly rounded quotient, so 255 / 255 is exactly 1.
     */
    public float[] toFloats(float divisor) {
        int n = elementCount();
        float[] out = new float[n];
        ByteBuffer buf = ByteBuffer.wrap(raw); // big-endian, as IDX is
        switch (type) {
            case UNSIGNED_BYTE, SIGNED_BYTE -> {
                float[] table = new float[256]; // one division per byte value, not per pixel
                for (int b = 0; b < 256; b++) {
                    table[b] = (type == IdxType.UNSIGNED_BYTE ? b : (byte) b) / divisor;
                }
                for (int i = 0; i < n; i++) out[i] = table[raw[i] & 0xFF];
            }
            case SHORT -> {
                for (int i = 0; i < n; i++) out[i] = buf.getShort(2 * i) / divisor;
            }
            case INT -> {
                for (int i = 0; i < n; i++) out[i] = (float) (buf.getInt(4 * i) / (double) divisor);
            }
            case FLOAT -> {
                for (int i = 0; i < n; i++) out[i] = buf.getFloat(4 * i) / divisor;
            }
            case DOUBLE -> {
                for (int i = 0; i < n; i++) out[i] = (float) (buf.getDouble(8 * i) / divisor);
            }
        }
        return out;
    }

    /** The values as a tensor of the declared shape, divided by {@code divisor}. */
    public Tensor toTensor(float divisor) {
        return Tensor.wrap(toFloats(divisor), shape());
    }

    /**
     * The values as exact integers, e.g. class labels. Floating-point files are accepted when every
     * value is a whole number that fits an int; otherwise a {@link DataFormatException} names the
     * first value that is not.
     */
    public int[] toInts() {
        int n = elementCount();
        int[] out = new int[n];
        ByteBuffer buf = ByteBuffer.wrap(raw);
        for (int i = 0; i < n; i++) {
            out[i] = switch (type) {
                case UNSIGNED_BYTE -> raw[i] & 0xFF;
                case SIGNED_BYTE -> raw[i];
                case SHORT -> buf.getShort(2 * i);
                case INT -> buf.getInt(4 * i);
                case FLOAT -> wholeNumber(buf.getFloat(4 * i), i);
                case DOUBLE -> wholeNumber(buf.getDouble(8 * i), i);
            };
        }
        return out;
    }

    private int wholeNumber(double v, int index) {
        if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new DataFormatException(source + ": value " + index + " is " + v
                    + ", but integer values (labels) were expected; is this the right file?");
        }
        return (int) v;
    }

    @Override
    public String toString() {
        return "IDX " + source + ": " + type + " " + Arrays.toString(dims);
    }
}
