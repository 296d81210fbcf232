package dev.propel.model;

import dev.propel.data.Dataset;
import dev.propel.spi.PropelException;
import dev.propel.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The dataset a model was trained on: its name, a hash of its content and its number of examples.
 * The hash tells whether two runs really saw the same data, whatever the files were called.
 */
public record DatasetInfo(String name, String contentHash, long examples) {
    /** Checks the fields and copies the collections. */
    public DatasetInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contentHash, "contentHash");
        if (examples < 0) throw new PropelException("dataset examples must be >= 0, got " + examples);
    }

    /** Name, {@link #contentHash(Dataset)} and size of {@code data}. */
    public static DatasetInfo of(Dataset data) {
        return new DatasetInfo(data.name(), contentHash(data), data.size());
    }

    /**
     * {@code "sha256:<hex>"} of the feature shape and values, then the target shape and values
     * (dimensions as little-endian int32, values as little-endian float32).
     */
    public static String contentHash(Dataset data) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must provide", e);
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        digest(sha, data.features(), buf);
        digest(sha, data.targets(), buf);
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private static void digest(MessageDigest sha, Tensor t, ByteBuffer buf) {
        buf.clear();
        int[] dims = t.shape().dims();
        buf.putInt(dims.length);
        for (int d : dims) buf.putInt(d);
        buf.flip();
        sha.update(buf);
        float[] values = t.data();
        int n = t.size();
        int perChunk = buf.capacity() / Float.BYTES;
        for (int off = 0; off < n; off += perChunk) {
            int len = Math.min(perChunk, n - off);
            buf.clear();
            buf.asFloatBuffer().put(values, off, len);
            buf.limit(len * Float.BYTES);
            sha.update(buf);
        }
    }
}
