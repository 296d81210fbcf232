package dev.propel.format.proto;

import java.nio.charset.StandardCharsets;

/**
 * The byte layout of a {@code .pb} model file around its protobuf messages (docs/format.md):
 * <pre>
 * magic "\x89PROPEL\n" | major u16 LE | minor u16 LE | varint N | ModelHeader (N bytes) | CRC32C u32 LE
 * then, per tensor of the header's directory: its TensorChunk messages, each length-delimited
 * </pre>
 */
final class FileLayout {
    /** First 8 bytes of every model file. The 0x89 byte keeps text tools from taking it for text. */
    static final byte[] MAGIC = {(byte) 0x89, 'P', 'R', 'O', 'P', 'E', 'L', '\n'};
    static final int MAJOR = 1;
    /** 1.1 added layer state tensors (role STATE) and graph models (layers reading other layers than the one before). */
    static final int MINOR = 1;
    /** Magic plus the two version numbers. */
    static final int PREAMBLE_BYTES = 12;
    /** A header larger than this is refused before it is read (real headers are a few KiB). */
    static final int MAX_HEADER_BYTES = 64 << 20;
    /**
     * How many bytes of heap one byte of header may take once parsed (protobuf messages, then the
     * model's records): 1e6 tiny layers in a 25 MB header exhaust a 256 MB heap.
     */
    static final int HEADER_EXPANSION = 64;

    /** The largest header a reader parses with {@code maxHeap} bytes of heap: its share by {@link #HEADER_EXPANSION}. */
    static long headerBytesForHeap(long maxHeap) {
        return Math.min(MAX_HEADER_BYTES, maxHeap / HEADER_EXPANSION);
    }

    /** Largest chunk a reader accepts, so one chunk buffer stays small. */
    static final int MAX_CHUNK_BYTES = 64 << 20;
    /** Chunk size the writer uses. */
    static final int DEFAULT_CHUNK_BYTES = 1 << 20;
    /** Tag of TensorChunk.data (field 1, length-delimited). */
    static final byte DATA_TAG = 0x0A;
    /** Tag of TensorChunk.crc32c (field 2, fixed32). */
    static final byte CRC_TAG = 0x15;
    /** CRC tag plus four CRC bytes after each chunk's data. */
    static final int CHUNK_TRAILER_BYTES = 5;

    private FileLayout() {
    }

    static String magicText() {
        return "89 " + new String(MAGIC, 1, 6, StandardCharsets.US_ASCII) + " 0A";
    }

    /** Bytes a varint encoding of {@code value} (>= 0) takes. */
    static int varintSize(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    /** Writes {@code value} (>= 0) as a varint into {@code out} at {@code pos}; returns the new position. */
    static int putVarint(byte[] out, int pos, long value) {
        while ((value & ~0x7FL) != 0) {
            out[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[pos++] = (byte) value;
        return pos;
    }

    /** Length of the TensorChunk message holding {@code dataBytes} bytes of data. */
    static long chunkMessageBytes(long dataBytes) {
        return 1 + varintSize(dataBytes) + dataBytes + CHUNK_TRAILER_BYTES;
    }

    /** The bytes before a chunk's data: varint message length, data tag, varint data length. */
    static int chunkPrefix(byte[] out, long dataBytes) {
        int pos = putVarint(out, 0, chunkMessageBytes(dataBytes));
        out[pos++] = DATA_TAG;
        return putVarint(out, pos, dataBytes);
    }

    /** Bytes the chunks of a tensor of {@code byteLength} data bytes take in the file. */
    static long tensorSectionBytes(long byteLength, int chunkBytes) {
        if (byteLength == 0) return 0;
        long full = byteLength / chunkBytes;
        long rest = byteLength % chunkBytes;
        long fullFrame = varintSize(chunkMessageBytes(chunkBytes)) + chunkMessageBytes(chunkBytes);
        long total = Math.multiplyExact(full, fullFrame);
        if (rest > 0) total = Math.addExact(total, varintSize(chunkMessageBytes(rest)) + chunkMessageBytes(rest));
        return total;
    }
}
