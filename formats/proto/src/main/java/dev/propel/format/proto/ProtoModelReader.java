package dev.propel.format.proto;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.propel.format.proto.schema.DType;
import dev.propel.format.proto.schema.ModelHeader;
import dev.propel.format.proto.schema.TensorInfo;
import dev.propel.format.proto.schema.TensorRole;
import dev.propel.model.ModelFormatException;
import dev.propel.model.OptimizerState;
import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Reads a {@code .pb} model file, trusting nothing in it. Before anything is allocated, the header's
 * declared length is checked against the file, its CRC32C is verified, and every tensor's shape and
 * byte length are checked so that the exact length of the whole file follows from the header; a
 * file of any other length is refused. Data is then read chunk by chunk into the receiver's tensors,
 * each chunk's framing and CRC32C checked. Every problem is a {@link ModelFormatException} naming the
 * file and the byte offset or tensor.
 */
final class ProtoModelReader {
    private final String file;
    private final SeekableByteChannel in;
    private final long size;
    private long offset;
    /** File offset just after the last tensor the directory declares. */
    private long directoryEnd;

    private ProtoModelReader(String file, SeekableByteChannel in) throws IOException {
        this.file = file;
        this.in = in;
        this.size = in.size();
    }

    /** Reads from {@code in} (a file channel, or any seekable channel); {@code file} names it in errors. */
    static SavedModel read(String file, SeekableByteChannel in, TensorReceiver receiver) throws IOException {
        ProtoModelReader r = new ProtoModelReader(file, in);
        try {
            return r.read(receiver);
        } catch (ModelFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            // A check this reader lacks: still report it as a bad file, with where it happened.
            throw new ModelFormatException(file + ": cannot read the model at byte offset " + r.offset + ": " + e, e);
        }
    }

    private SavedModel read(TensorReceiver receiver) throws IOException {
        ModelHeader header = readHeader();
        SavedModel meta = HeaderMapping.fromHeader(file, header);
        List<TensorEntry> directory = directory(header, meta);
        long expected = directory.isEmpty() ? offset : directoryEnd;
        if (expected != size) {
            throw size < expected
                    ? new ModelFormatException(file + ": the file is truncated: its header declares " + directory.size()
                    + " tensors making " + expected + " bytes in all, but the file has only " + size
                    + " bytes. It was cut off (an interrupted copy, download or save); use an intact copy")
                    : new ModelFormatException(file + ": the file has " + (size - expected)
                    + " unexpected bytes after its last tensor, at byte offset " + expected + "; it is corrupt");
        }
        receiver.begin(meta);
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        Map<String, Tensor> state = new LinkedHashMap<>();
        Map<String, Tensor> layerState = new LinkedHashMap<>();
        long largest = 0;
        for (TensorEntry e : directory) largest = Math.max(largest, e.byteLength());
        ChunkReader chunks = largest == 0 ? null : new ChunkReader(header.getChunkBytes(), largest);
        for (TensorEntry e : directory) {
            Tensor target = switch (e.role()) {
                case OPTIMIZER_STATE -> receiver.optimizerState(e.name(), e.shape());
                case STATE -> receiver.layerState(e.name(), e.shape());
                default -> receiver.parameter(e.name(), e.shape());
            };
            if (target == null || !target.shape().equals(e.shape())) {
                throw new IllegalStateException("the tensor receiver gave " + (target == null ? "null" : target.shape())
                        + " for " + e.describe());
            }
            if (e.byteLength() > 0) chunks.readInto(e, target.data());
            (switch (e.role()) {
                case OPTIMIZER_STATE -> state;
                case STATE -> layerState;
                default -> parameters;
            }).put(e.name(), target);
        }
        OptimizerState optimizerState = meta.optimizerState() == null ? null
                : new OptimizerState(meta.optimizerState().type(), meta.optimizerState().stepCount(), state);
        return meta.withTensors(parameters, layerState, optimizerState);
    }

    // ---------------------------------------------------------------- preamble and header

    private ModelHeader readHeader() throws IOException {
        int probe = (int) Math.min(size, FileLayout.PREAMBLE_BYTES + 5);
        ByteBuffer start = readAt(0, probe);
        for (int i = 0; i < Math.min(probe, FileLayout.MAGIC.length); i++) {
            if (start.get(i) != FileLayout.MAGIC[i]) {
                throw new ModelFormatException(file + ": not a Propel model file: byte " + i + " is 0x"
                        + HexFormat.of().toHexDigits(start.get(i)) + " where the magic " + FileLayout.magicText()
                        + " should be. Is it a JSON model (.json) or another format?");
            }
        }
        if (size < FileLayout.PREAMBLE_BYTES) {
            throw new ModelFormatException(file + ": the file is truncated: it has only " + size
                    + " bytes, fewer than the 12-byte preamble every model file starts with");
        }
        int major = Short.toUnsignedInt(start.order(ByteOrder.LITTLE_ENDIAN).getShort(8));
        int minor = Short.toUnsignedInt(start.getShort(10));
        if (major > FileLayout.MAJOR) {
            throw new ModelFormatException(file + ": written in model format version " + major + "." + minor
                    + ", newer than this Propel reads (" + FileLayout.MAJOR + ".x); upgrade Propel to load it");
        }
        if (major < 1) {
            throw new ModelFormatException(file + ": the format version " + major + "." + minor
                    + " at byte offset 8 was never used; the file is corrupt");
        }
        offset = FileLayout.PREAMBLE_BYTES;
        long headerLength = readVarint(start, "the header length");
        if (headerLength > FileLayout.MAX_HEADER_BYTES) {
            throw new ModelFormatException(file + ": the header length at byte offset 12 is " + headerLength
                    + " bytes, more than the " + FileLayout.MAX_HEADER_BYTES + "-byte limit; the file is corrupt");
        }
        if (headerLength + 4 > size - offset) {
            throw new ModelFormatException(file + ": the file is truncated: its header needs " + (headerLength + 4)
                    + " bytes from byte offset " + offset + " but only " + (size - offset) + " remain");
        }
        long parsable = FileLayout.headerBytesForHeap(Runtime.getRuntime().maxMemory());
        if (headerLength > parsable) {
            throw new ModelFormatException(String.format(java.util.Locale.ROOT, "%s: the header is %,d bytes, more than this JVM "
                    + "parses with its %,d MB heap (at most %,d bytes: parsed, a header takes about %d times its size); the file is too "
                    + "large or hostile (real headers are a few KiB; a genuine one this large needs a larger heap, -Xmx)", file,
                    headerLength, Runtime.getRuntime().maxMemory() >> 20, parsable, FileLayout.HEADER_EXPANSION));
        }
        long headerStart = offset;
        ByteBuffer headerBuf = readAt(headerStart, (int) headerLength + 4);
        byte[] headerBytes = new byte[(int) headerLength];
        headerBuf.get(headerBytes);
        int storedCrc = headerBuf.order(ByteOrder.LITTLE_ENDIAN).getInt();
        CRC32C crc = new CRC32C();
        crc.update(headerBytes);
        if ((int) crc.getValue() != storedCrc) {
            throw new ModelFormatException(file + ": the header (bytes " + headerStart + " to " + (headerStart + headerLength)
                    + ") fails its CRC32C check (stored " + hex(storedCrc) + ", computed " + hex((int) crc.getValue())
                    + "); the file is corrupt");
        }
        offset = headerStart + headerLength + 4;
        try {
            CodedInputStream cis = CodedInputStream.newInstance(headerBytes);
            cis.setSizeLimit(headerBytes.length);
            ModelHeader header = ModelHeader.parseFrom(cis);
            cis.checkLastTagWas(0);
            return header;
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(file + ": the header at byte offset " + headerStart
                    + " is not a valid ModelHeader message: " + e.getMessage(), e);
        }
    }

    /** Reads a varint from {@code buf} at {@link #offset}, advancing it. */
    private long readVarint(ByteBuffer buf, String what) {
        long value = 0;
        for (int i = 0; i < 5; i++) {
            int pos = (int) offset;
            if (pos >= buf.limit()) {
                throw new ModelFormatException(file + ": the file is truncated inside " + what + " at byte offset " + offset);
            }
            byte b = buf.get(pos);
            offset++;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) return value;
        }
        throw new ModelFormatException(file + ": " + what + " at byte offset " + FileLayout.PREAMBLE_BYTES
                + " is not a valid 32-bit varint; the file is corrupt");
    }

    private ByteBuffer readAt(long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        in.position(position);
        while (buf.hasRemaining()) {
            if (in.read(buf) < 0) {
                throw new ModelFormatException(file + ": the file ended at byte offset " + (position + buf.position())
                        + " while " + length + " bytes from offset " + position + " were being read; it changed while being read");
            }
        }
        return buf.flip();
    }

    // ---------------------------------------------------------------- tensor directory

    /** The checked tensor directory, with each tensor's file offset. */
    private List<TensorEntry> directory(ModelHeader h, SavedModel meta) {
        int chunk = h.getChunkBytes();
        List<TensorEntry> entries = new ArrayList<>(h.getTensorsCount());
        Set<String> parameterNames = new HashSet<>();
        Set<String> stateNames = new HashSet<>();
        Set<String> layerStateNames = new HashSet<>();
        long position = offset;
        for (int i = 0; i < h.getTensorsCount(); i++) {
            TensorInfo t = h.getTensors(i);
            String what = "tensor " + i + " '" + t.getName() + "'";
            if (t.getName().isEmpty()) throw new ModelFormatException(file + ": tensor " + i + " of the directory has no name");
            Set<String> namesOfRole = switch (t.getRole()) {
                case PARAMETER -> parameterNames;
                case OPTIMIZER_STATE -> stateNames;
                case STATE -> layerStateNames;
                case ROLE_UNSPECIFIED, UNRECOGNIZED -> throw new ModelFormatException(file + ": " + what
                        + " has role " + t.getRoleValue() + ", which this reader does not know (1 = parameter, 2 = optimizer state,"
                        + " 3 = layer state); the file was written by a newer Propel or is corrupt");
            };
            if (t.getRole() == TensorRole.OPTIMIZER_STATE && meta.optimizerState() == null) {
                throw new ModelFormatException(file + ": " + what + " is optimizer state but the header records no optimizer state");
            }
            if (!namesOfRole.add(t.getName())) {
                throw new ModelFormatException(file + ": " + what + " appears twice in the tensor directory");
            }
            if (t.getDtype() != DType.FLOAT32) {
                throw new ModelFormatException(file + ": " + what + " has dtype "
                        + (t.getDtype() == DType.UNRECOGNIZED ? "number " + t.getDtypeValue() : t.getDtype().name())
                        + ", which this reader (format " + FileLayout.MAJOR + "." + FileLayout.MINOR
                        + ") cannot load; only FLOAT32 is supported. Upgrade Propel or convert the tensor to float32");
            }
            Shape shape = shape(what, t.getShapeList());
            long expectedBytes = (long) shape.size() * Float.BYTES;
            if (t.getByteLength() != expectedBytes) {
                throw new ModelFormatException(file + ": " + what + " declares " + Long.toUnsignedString(t.getByteLength())
                        + " data bytes but its shape " + shape + " of float32 needs " + expectedBytes);
            }
            if (expectedBytes > 0 && (chunk < 8 || chunk % 8 != 0 || chunk > FileLayout.MAX_CHUNK_BYTES)) {
                throw new ModelFormatException(file + ": the header's chunk size " + Integer.toUnsignedString(chunk)
                        + " is not a multiple of 8 in [8, " + FileLayout.MAX_CHUNK_BYTES + "]; the file is corrupt");
            }
            entries.add(new TensorEntry(t.getName(), t.getRole(), shape, expectedBytes, position));
            if (expectedBytes > 0) position = Math.addExact(position, FileLayout.tensorSectionBytes(expectedBytes, chunk));
            if (position > size) {
                throw new ModelFormatException(file + ": the file is truncated: " + what + " " + shape + " ends at byte offset "
                        + position + " but the file has only " + size + " bytes");
            }
        }
        directoryEnd = position;
        return entries;
    }

    private Shape shape(String what, List<Long> dims) {
        if (dims.size() > 32) {
            throw new ModelFormatException(file + ": " + what + " has " + dims.size() + " dimensions; at most 32 are allowed");
        }
        int[] d = new int[dims.size()];
        long elements = 1;
        for (int i = 0; i < d.length; i++) {
            long x = dims.get(i);
            if (x < 0 || x > Integer.MAX_VALUE) {
                throw new ModelFormatException(file + ": " + what + " has dimension " + i + " = " + x + ", outside [0, "
                        + Integer.MAX_VALUE + "]");
            }
            d[i] = (int) x;
            elements *= x;
            if (elements > Integer.MAX_VALUE - 8) {
                throw new ModelFormatException(file + ": " + what + " has shape " + dims + " with more elements than one tensor can hold ("
                        + (Integer.MAX_VALUE - 8) + ")");
            }
        }
        return Shape.of(d);
    }

    private static String hex(int v) {
        return "0x" + HexFormat.of().toHexDigits(v);
    }

    // ---------------------------------------------------------------- chunks

    /**
     * Reads a tensor's chunks: the framing before and after each chunk's data is checked against the
     * bytes it must be; the data is read in pieces small enough to stay in the CPU cache, each
     * checksummed and converted into the target floats while still there.
     */
    private final class ChunkReader {
        /** Piece size: read, checksummed and converted while in cache. A multiple of 8. */
        private static final int PIECE = 1 << 20;
        private final int chunkBytes;
        private final ByteBuffer frame = ByteBuffer.allocateDirect(16 + FileLayout.CHUNK_TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private final ByteBuffer piece;
        private final byte[] expectedPrefix = new byte[16];
        private final CRC32C crc = new CRC32C();

        ChunkReader(int chunkBytes, long largestTensorBytes) {
            this.chunkBytes = chunkBytes;
            this.piece = ByteBuffer.allocateDirect((int) Math.min(Math.min(chunkBytes, PIECE), largestTensorBytes))
                    .order(ByteOrder.LITTLE_ENDIAN);
        }

        void readInto(TensorEntry e, float[] target) throws IOException {
            offset = e.fileOffset();
            in.position(offset);
            long done = 0;
            int index = 0;
            while (done < e.byteLength()) {
                int bytes = (int) Math.min(chunkBytes, e.byteLength() - done);
                long chunkOffset = offset;
                int prefixLength = FileLayout.chunkPrefix(expectedPrefix, bytes);
                frame.clear().limit(prefixLength);
                readFully(frame);
                for (int i = 0; i < prefixLength; i++) {
                    if (frame.get(i) != expectedPrefix[i]) {
                        throw new ModelFormatException(file + ": " + e.describe() + ", chunk " + index + " at byte offset "
                                + chunkOffset + ": expected the framing of a TensorChunk with " + bytes
                                + " data bytes but byte " + (chunkOffset + i) + " differs; the file is corrupt");
                    }
                }
                crc.reset();
                for (int got = 0; got < bytes; ) {
                    int n = Math.min(piece.capacity(), bytes - got);
                    piece.clear().limit(n);
                    readFully(piece);
                    piece.flip();
                    crc.update(piece);
                    piece.flip();
                    piece.asFloatBuffer().get(target, (int) ((done + got) / Float.BYTES), n / Float.BYTES);
                    got += n;
                }
                frame.clear().limit(FileLayout.CHUNK_TRAILER_BYTES);
                readFully(frame);
                if (frame.get(0) != FileLayout.CRC_TAG) {
                    throw new ModelFormatException(file + ": " + e.describe() + ", chunk " + index + ": byte "
                            + (chunkOffset + prefixLength + bytes) + " should be the CRC32C field tag 0x15; the file is corrupt");
                }
                int stored = frame.getInt(1);
                if ((int) crc.getValue() != stored) {
                    throw new ModelFormatException(file + ": " + e.describe() + ": chunk " + index + " (data bytes " + done
                            + " to " + (done + bytes) + ", at byte offset " + chunkOffset + ") fails its CRC32C check (stored "
                            + hex(stored) + ", computed " + hex((int) crc.getValue()) + "); the file is corrupt");
                }
                done += bytes;
                index++;
            }
        }

        /** Fills {@code buf} from the current position, advancing {@link #offset}. */
        private void readFully(ByteBuffer buf) throws IOException {
            int length = buf.remaining();
            while (buf.hasRemaining()) {
                if (in.read(buf) < 0) {
                    throw new ModelFormatException(file + ": the file ended at byte offset " + (offset + length - buf.remaining())
                            + "; it changed while being read");
                }
            }
            offset += length;
        }
    }
}
