package dev.propel.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX files (see {@link IdxReader} for the layout), gzip-compressed when the file name ends
 * in {@code .gz}. Values are given as ints for the integer types and as floats or doubles for the
 * floating-point types; each is checked against the type's range. The file is written next to its
 * target and moved into place, so a failed write never destroys an existing file.
 */
public final class IdxWriter {
    private IdxWriter() {
    }

    /** Writes integer values ({@code UNSIGNED_BYTE}, {@code SIGNED_BYTE}, {@code SHORT} or {@code INT}). */
    public static void write(Path file, IdxType type, int[] dims, int[] values) {
        if (!type.isInteger()) {
            throw new IllegalArgumentException("IDX type " + type + " holds floating-point values; pass a float[] or double[]");
        }
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            switch (type) {
                case UNSIGNED_BYTE -> checkRange(v, 0, 255, type, i);
                case SIGNED_BYTE -> checkRange(v, Byte.MIN_VALUE, Byte.MAX_VALUE, type, i);
                case SHORT -> checkRange(v, Short.MIN_VALUE, Short.MAX_VALUE, type, i);
                default -> { }
            }
        }
        write(file, type, dims, values.length, out -> {
            for (int v : values) {
                switch (type.bytes()) {
                    case 1 -> out.writeByte(v);
                    case 2 -> out.writeShort(v);
                    default -> out.writeInt(v);
                }
            }
        });
    }

    /** Writes {@code FLOAT} values. */
    public static void write(Path file, int[] dims, float[] values) {
        write(file, IdxType.FLOAT, dims, values.length, out -> {
            for (float v : values) out.writeFloat(v);
        });
    }

    /** Writes {@code DOUBLE} values. */
    public static void write(Path file, int[] dims, double[] values) {
        write(file, IdxType.DOUBLE, dims, values.length, out -> {
            for (double v : values) out.writeDouble(v);
        });
    }

    /** Writes {@code data} unchanged: its type, dimensions and bytes. */
    public static void write(Path file, IdxData data) {
        write(file, data.type(), data.dims(), data.elementCount(), out -> out.write(data.raw()));
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static void write(Path file, IdxType type, int[] dims, int count, Body body) {
        if (dims.length < 1 || dims.length > IdxReader.MAX_RANK) {
            throw new IllegalArgumentException("an IDX file has 1 to " + IdxReader.MAX_RANK + " dimensions, got " + dims.length);
        }
        long expected = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("IDX dimensions must be >= 0, got " + Arrays.toString(dims));
            expected *= d;
        }
        if (expected != count) {
            throw new IllegalArgumentException("dimensions " + Arrays.toString(dims) + " need " + expected
                    + " values but " + count + " were given");
        }
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        Path temp = file.resolveSibling(file.getFileName() + ".part");
        try {
            try (OutputStream raw = Files.newOutputStream(temp);
                 OutputStream compressed = gzip ? new BestGzipOutputStream(raw) : raw;
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(compressed, 1 << 16))) {
                out.writeInt((type.code() << 8) | dims.length);
                for (int d : dims) out.writeInt(d);
                body.write(out);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new DataException("cannot write IDX file " + file + ": " + e, e);
        }
    }

    private static void checkRange(int v, int min, int max, IdxType type, int index) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("value " + index + " is " + v + ", outside the range [" + min + ", " + max
                    + "] of IDX type " + type);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the write already failed; that error is the one to report
        }
    }

    /** gzip at the highest compression level: such files are written once and read many times. */
    private static final class BestGzipOutputStream extends GZIPOutputStream {
        BestGzipOutputStream(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }
}
