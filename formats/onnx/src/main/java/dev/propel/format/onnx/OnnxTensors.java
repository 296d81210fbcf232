package dev.propel.format.onnx;

import com.google.protobuf.ByteString;
import dev.propel.format.onnx.ir.StringStringEntryProto;
import dev.propel.format.onnx.ir.TensorProto;
import dev.propel.model.ModelFormatException;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Float and integer tensors to and from ONNX {@code TensorProto}s: values inline (raw little-endian bytes
 * or the typed repeated fields) or in an external data file beside the model. Every size a file declares
 * is checked against the bytes it really has before anything is allocated, and an external data path
 * must name a file inside the model's directory.
 */
final class OnnxTensors {
    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int DOUBLE = TensorProto.DataType.DOUBLE_VALUE;
    private static final int INT32 = TensorProto.DataType.INT32_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;

    private OnnxTensors() {
    }

    /** A float32 initializer holding {@code t}'s values inline. */
    static TensorProto inline(String name, Tensor t) {
        return header(name, t.shape()).setRawData(ByteString.copyFrom(bytes(t))).build();
    }

    /** A float32 initializer whose values are {@code length} bytes at {@code offset} of the file {@code location}. */
    static TensorProto external(String name, Shape shape, String location, long offset, long length) {
        return header(name, shape).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", Long.toString(length)))
                .build();
    }

    /** A 1-D int64 initializer. */
    static TensorProto int64s(String name, List<Long> values) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(INT64).addDims(values.size());
        ByteBuffer buf = ByteBuffer.allocate(values.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) buf.putLong(v);
        return b.setRawData(ByteString.copyFrom(buf.array())).build();
    }

    /** {@code t}'s values as little-endian float32 bytes (the layout of raw_data and of external data). */
    static byte[] bytes(Tensor t) {
        Tensor c = t.contiguous();
        ByteBuffer buf = ByteBuffer.allocate(c.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(c.data(), c.offset(), c.size());
        return buf.array();
    }

    private static TensorProto.Builder header(String name, Shape shape) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(FLOAT);
        for (int d : shape.dims()) b.addDims(d);
        return b;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    static boolean isFloat(TensorProto t) {
        return t.getDataType() == FLOAT || t.getDataType() == DOUBLE;
    }

    static boolean isInteger(TensorProto t) {
        return t.getDataType() == INT64 || t.getDataType() == INT32;
    }

    /** The tensor's shape, checked: non-negative dimensions whose product fits an int. */
    static Shape shape(TensorProto t, String what) {
        int[] dims = new int[t.getDimsCount()];
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new ModelFormatException(what + " declares dimension " + d + " (dims " + t.getDimsList()
                        + "); dimensions must be 0 or more and below 2^31");
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new ModelFormatException(what + " declares dims " + t.getDimsList() + ", more than 2^31 values;"
                        + " Propel tensors hold fewer");
            }
            dims[i] = (int) d;
        }
        return Shape.of(dims);
    }

    /** Reads a float tensor (FLOAT, or DOUBLE narrowed to float). {@code dir} is the model's directory (null: none). */
    static Tensor readFloat(TensorProto t, String what, Path dir) throws IOException {
        Shape shape = shape(t, what);
        int n = shape.size();
        int width = t.getDataType() == DOUBLE ? 8 : 4;
        if (!isFloat(t)) {
            throw new ModelFormatException(what + " has data type " + typeName(t.getDataType()) + "; Propel reads float32 (or float64) values here");
        }
        float[] values;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            values = floats(externalBytes(t, what, dir, (long) n * width), width);
        } else if (!t.getRawData().isEmpty()) {
            requireLength(what, "raw_data", t.getRawData().size(), (long) n * width);
            values = floats(t.getRawData().toByteArray(), width);
        } else if (width == 4) {
            requireLength(what, "float_data", t.getFloatDataCount(), n);
            values = new float[n];
            for (int i = 0; i < n; i++) values[i] = t.getFloatData(i);
        } else {
            requireLength(what, "double_data", t.getDoubleDataCount(), n);
            values = new float[n];
            for (int i = 0; i < n; i++) values[i] = (float) t.getDoubleData(i); // float64 narrowed
        }
        return Tensor.wrap(values, shape);
    }

    /** Reads an INT64 or INT32 tensor's values (e.g. a shape). */
    static long[] readIntegers(TensorProto t, String what, Path dir) throws IOException {
        Shape shape = shape(t, what);
        int n = shape.size();
        if (!isInteger(t)) {
            throw new ModelFormatException(what + " has data type " + typeName(t.getDataType()) + "; expected int64 or int32 values");
        }
        int width = t.getDataType() == INT64 ? 8 : 4;
        long[] out = new long[n];
        byte[] raw = null;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            raw = externalBytes(t, what, dir, (long) n * width);
        } else if (!t.getRawData().isEmpty()) {
            requireLength(what, "raw_data", t.getRawData().size(), (long) n * width);
            raw = t.getRawData().toByteArray();
        }
        if (raw != null) {
            ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) out[i] = width == 8 ? buf.getLong() : buf.getInt();
        } else if (width == 8) {
            requireLength(what, "int64_data", t.getInt64DataCount(), n);
            for (int i = 0; i < n; i++) out[i] = t.getInt64Data(i);
        } else {
            requireLength(what, "int32_data", t.getInt32DataCount(), n);
            for (int i = 0; i < n; i++) out[i] = t.getInt32Data(i);
        }
        return out;
    }

    private static float[] floats(byte[] raw, int width) {
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[raw.length / width];
        if (width == 4) {
            buf.asFloatBuffer().get(out);
        } else {
            for (int i = 0; i < out.length; i++) out[i] = (float) buf.getDouble();
        }
        return out;
    }

    private static void requireLength(String what, String field, long actual, long expected) {
        if (actual != expected) {
            throw new ModelFormatException(what + ": its dims call for " + expected + (field.equals("raw_data") ? " bytes" : " values")
                    + " but " + field + " holds " + actual + "; the file is truncated or damaged");
        }
    }

    /**
     * The {@code expected} bytes of an external tensor, read from its file after checking that the path
     * stays inside {@code dir} and that the file has those bytes at the given offset.
     */
    private static byte[] externalBytes(TensorProto t, String what, Path dir, long expected) throws IOException {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = number(what, "offset", e.getValue());
                case "length" -> length = number(what, "length", e.getValue());
                default -> { }
            }
        }
        if (location == null || location.isEmpty()) {
            throw new ModelFormatException(what + " says its data is external but names no 'location'");
        }
        if (dir == null) {
            throw new ModelFormatException(what + " keeps its data in the external file '" + location
                    + "', but the model was not read from a directory; read it from its file");
        }
        Path file = confined(what, dir, location);
        if (length >= 0 && length != expected) {
            throw new ModelFormatException(what + ": its dims call for " + expected + " bytes but its external data length is " + length);
        }
        long size = Files.size(file);
        if (offset > size || expected > size - offset) {
            throw new ModelFormatException(what + ": needs " + expected + " bytes at offset " + offset + " of " + file
                    + ", which has only " + size + " bytes; the data file is truncated or does not belong to this model");
        }
        byte[] out = new byte[(int) expected];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.wrap(out);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new ModelFormatException(what + ": " + file + " ended early");
                }
            }
        }
        return out;
    }

    /** {@code location} resolved in {@code dir}, refused when it is absolute or leads outside it (also through links). */
    static Path confined(String what, Path dir, String location) throws IOException {
        Path rel;
        try {
            rel = Path.of(location);
        } catch (RuntimeException e) {
            throw new ModelFormatException(what + ": external data location '" + location + "' is not a valid path");
        }
        Path base = dir.toAbsolutePath().normalize();
        Path file = base.resolve(rel).normalize();
        if (rel.isAbsolute() || location.startsWith("/") || location.startsWith("\\") || !file.startsWith(base)
                || file.equals(base)) {
            throw new ModelFormatException(what + ": external data location '" + location + "' leads outside the model's directory "
                    + base + "; a model may only read data files beside it (a relative path such as 'model.onnx.data')");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(what + ": external data file " + file + " does not exist or is not a regular file;"
                    + " keep the data file beside the model file");
        }
        if (!file.toRealPath().startsWith(base.toRealPath())) {
            throw new ModelFormatException(what + ": external data location '" + location + "' is a link that leads outside the model's directory");
        }
        return file;
    }

    private static long number(String what, String key, String value) {
        try {
            long v = Long.parseLong(value.trim());
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new ModelFormatException(what + ": external data " + key + " '" + value + "' is not a non-negative integer");
        }
    }

    static String typeName(int dataType) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(dataType);
        return t == null ? "#" + dataType : t.name();
    }
}
