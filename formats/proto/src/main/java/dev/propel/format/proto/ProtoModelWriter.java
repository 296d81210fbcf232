package dev.propel.format.proto;

import dev.propel.format.proto.schema.ModelHeader;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes a {@link SavedModel} in the {@code .pb} layout (see {@link FileLayout}). Tensor data streams
 * out in chunks through one reused direct buffer, each chunk with one gathering write, so models of
 * any size (well past protobuf's 2 GiB message limit) save in bounded memory.
 */
final class ProtoModelWriter {
    private final int chunkBytes;

    ProtoModelWriter(int chunkBytes) {
        if (chunkBytes < 8 || chunkBytes % 8 != 0 || chunkBytes > FileLayout.MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("chunk size must be a multiple of 8 in [8, " + FileLayout.MAX_CHUNK_BYTES
                    + "], got " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
    }

    void write(SavedModel model, FileChannel out) throws IOException {
        ModelHeader header = HeaderMapping.toHeader(model, chunkBytes);
        byte[] headerBytes = header.toByteArray();
        ByteBuffer head = ByteBuffer.allocate(FileLayout.PREAMBLE_BYTES + 10 + headerBytes.length + 4)
                .order(ByteOrder.LITTLE_ENDIAN);
        head.put(FileLayout.MAGIC).putShort((short) FileLayout.MAJOR).putShort((short) FileLayout.MINOR);
        byte[] len = new byte[10];
        head.put(len, 0, FileLayout.putVarint(len, 0, headerBytes.length));
        head.put(headerBytes);
        CRC32C crc = new CRC32C();
        crc.update(headerBytes);
        head.putInt((int) crc.getValue());
        head.flip();
        writeFully(out, new ByteBuffer[]{head});

        List<Tensor> tensors = new ArrayList<>(model.parameters().values());
        tensors.addAll(model.layerState().values());
        if (model.optimizerState() != null) tensors.addAll(model.optimizerState().tensors().values());
        ByteBuffer data = ByteBuffer.allocateDirect(chunkBytes).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer prefix = ByteBuffer.allocateDirect(16);
        ByteBuffer trailer = ByteBuffer.allocateDirect(FileLayout.CHUNK_TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        byte[] prefixBytes = new byte[16];
        ByteBuffer[] frame = {prefix, data, trailer};
        int floatsPerChunk = chunkBytes / Float.BYTES;
        for (Tensor t : tensors) {
            float[] values = t.data();
            int n = t.size();
            for (int off = 0; off < n; off += floatsPerChunk) {
                int count = Math.min(floatsPerChunk, n - off);
                int bytes = count * Float.BYTES;
                data.clear();
                data.asFloatBuffer().put(values, off, count);
                data.limit(bytes);
                crc.reset();
                crc.update(data);
                data.flip();
                prefix.clear();
                prefix.put(prefixBytes, 0, FileLayout.chunkPrefix(prefixBytes, bytes)).flip();
                trailer.clear();
                trailer.put(FileLayout.CRC_TAG).putInt((int) crc.getValue()).flip();
                writeFully(out, frame);
            }
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer[] buffers) throws IOException {
        long remaining = 0;
        for (ByteBuffer b : buffers) remaining += b.remaining();
        while (remaining > 0) {
            remaining -= out.write(buffers);
        }
    }
}
