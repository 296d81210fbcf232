package dev.propel.format.proto;

import dev.propel.model.ModelFormatException;
import dev.propel.model.TensorReceiver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The reader's fuzz target: any bytes must either read as a model or fail with a
 * {@link ModelFormatException}; any other exception or error (OutOfMemoryError, a hang, an
 * IndexOutOfBoundsException...) is a finding. Each input is read twice: as given, and with its
 * header CRC32C recomputed, so that mutations of the header reach the protobuf parser and the
 * checks behind the checksum instead of stopping at it.
 *
 * <p>Long run with the standalone Jazzer driver (see docs/format.md, "Fuzzing the reader").
 */
public final class ProtoReaderFuzzTarget {
    private static final ProtoModelFormat FORMAT = new ProtoModelFormat();

    private ProtoReaderFuzzTarget() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        readExpectingOnlyFormatErrors(data);
        byte[] fixed = withValidHeaderCrc(data);
        if (fixed != null) readExpectingOnlyFormatErrors(fixed);
    }

    private static void readExpectingOnlyFormatErrors(byte[] data) {
        try {
            FORMAT.read("fuzz.pb", new ByteArrayChannel(data), TensorReceiver.allocating());
        } catch (ModelFormatException expected) {
            if (expected.getMessage() == null || !expected.getMessage().startsWith("fuzz.pb: ")) {
                throw new AssertionError("a format error that does not name the file: " + expected.getMessage(), expected);
            }
        } catch (IOException e) {
            throw new AssertionError("reading from memory cannot fail with an I/O error", e);
        }
    }

    /** {@code data} with the CRC32C after its header recomputed, or null if it has no complete header. */
    static byte[] withValidHeaderCrc(byte[] data) {
        if (data.length < FileLayout.PREAMBLE_BYTES + 1) return null;
        int pos = FileLayout.PREAMBLE_BYTES;
        long len = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos >= data.length) return null;
            byte b = data[pos++];
            len |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (pos + len + 4 > data.length) return null;
                CRC32C crc = new CRC32C();
                crc.update(data, pos, (int) len);
                byte[] out = data.clone();
                ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(pos + (int) len, (int) crc.getValue());
                return out;
            }
        }
        return null;
    }
}
