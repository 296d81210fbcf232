package dev.propel.format.proto;

import dev.propel.format.proto.schema.ModelHeader;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** Takes a model file's bytes apart and puts edited ones back together with valid checksums, for tests. */
record ModelBytes(int major, int minor, ModelHeader header, byte[] tail) {

    static ModelBytes parse(byte[] file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int major = Short.toUnsignedInt(b.getShort(8));
        int minor = Short.toUnsignedInt(b.getShort(10));
        int pos = FileLayout.PREAMBLE_BYTES;
        long len = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = file[pos++];
            len |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) break;
        }
        ModelHeader header = ModelHeader.parseFrom(Arrays.copyOfRange(file, pos, pos + (int) len));
        return new ModelBytes(major, minor, header, Arrays.copyOfRange(file, pos + (int) len + 4, file.length));
    }

    ModelBytes withHeader(ModelHeader h) {
        return new ModelBytes(major, minor, h, tail);
    }

    ModelBytes withVersion(int newMajor, int newMinor) {
        return new ModelBytes(newMajor, newMinor, header, tail);
    }

    ModelBytes withTail(byte[] newTail) {
        return new ModelBytes(major, minor, header, newTail);
    }

    byte[] bytes() {
        return assemble(major, minor, header.toByteArray(), tail);
    }

    /** Preamble, the given header bytes (whatever they are) with their correct CRC32C, then {@code tail}. */
    static byte[] assemble(int major, int minor, byte[] headerBytes, byte[] tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(FileLayout.MAGIC);
        out.write(major & 0xFF);
        out.write(major >>> 8);
        out.write(minor & 0xFF);
        out.write(minor >>> 8);
        byte[] v = new byte[10];
        out.write(v, 0, FileLayout.putVarint(v, 0, headerBytes.length));
        out.writeBytes(headerBytes);
        CRC32C crc = new CRC32C();
        crc.update(headerBytes);
        int c = (int) crc.getValue();
        out.writeBytes(new byte[]{(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24)});
        out.writeBytes(tail);
        return out.toByteArray();
    }
}
