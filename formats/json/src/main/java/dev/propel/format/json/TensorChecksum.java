package dev.propel.format.json;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/** CRC32C of a tensor's values as little-endian float32 bytes: the same bytes a .pb file stores. */
final class TensorChecksum {
    private TensorChecksum() {
    }

    static int of(float[] values, int n) {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = buf.capacity() / Float.BYTES;
        for (int off = 0; off < n; off += perChunk) {
            int len = Math.min(perChunk, n - off);
            buf.clear();
            buf.asFloatBuffer().put(values, off, len);
            crc.update(buf.array(), 0, len * Float.BYTES);
        }
        return (int) crc.getValue();
    }

    static String hex(int crc) {
        return String.format("0x%08x", crc);
    }
}
