package dev.propel.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.propel.data.IdxBytes.concat;
import static dev.propel.data.IdxBytes.gzip;
import static dev.propel.data.IdxBytes.header;
import static dev.propel.data.IdxBytes.unsignedBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ reading hand-made bytes

    @Test
    void readsHandMadeUnsignedByteImages() throws IOException {
        byte[] content = concat(header(0x08, 2, 2, 3), unsignedBytes(0, 1, 2, 3, 4, 5, 255, 254, 128, 127, 10, 0));
        IdxData d = IdxReader.read(file("images-idx3-ubyte", content));
        assertEquals(IdxType.UNSIGNED_BYTE, d.type());
        assertArrayEquals(new int[]{2, 2, 3}, d.dims());
        assertEquals(2, d.count());
        assertEquals(12, d.elementCount());
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 255, 254, 128, 127, 10, 0}, d.toInts());
        float[] pixels = d.toFloats(255f);
        assertEquals(0f, pixels[0]);
        assertEquals(1f, pixels[6], "255/255 must be exactly 1");
        assertEquals(128f / 255f, pixels[8]);
    }

    @Test
    void readsBigEndianMultiByteTypes() throws IOException {
        byte[] shorts = concat(header(0x0B, 2), unsignedBytes(0x01, 0x02, 0xFF, 0xFE));
        assertArrayEquals(new int[]{258, -2}, IdxReader.read(file("s", shorts)).toInts());

        byte[] ints = concat(header(0x0C, 2), ByteBuffer.allocate(8).putInt(-70000).putInt(1 << 30).array());
        assertArrayEquals(new int[]{-70000, 1 << 30}, IdxReader.read(file("i", ints)).toInts());

        byte[] floats = concat(header(0x0D, 1, 2), ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-0.25f).array());
        IdxData f = IdxReader.read(file("f", floats));
        assertArrayEquals(new int[]{1, 2}, f.dims());
        assertArrayEquals(new float[]{1.5f, -0.25f}, f.toFloats(1f));

        byte[] doubles = concat(header(0x0E, 2), ByteBuffer.allocate(16).putDouble(3.0).putDouble(-7.0).array());
        IdxData d = IdxReader.read(file("d", doubles));
        assertArrayEquals(new float[]{1.5f, -3.5f}, d.toFloats(2f));
        assertArrayEquals(new int[]{3, -7}, d.toInts(), "whole floating-point values may serve as labels");

        byte[] signed = concat(header(0x09, 3), unsignedBytes(0x80, 0xFF, 0x7F));
        assertArrayEquals(new int[]{-128, -1, 127}, IdxReader.read(file("b", signed)).toInts());
    }

    @Test
    void detectsGzipByMagicBytesNotByName() throws IOException {
        byte[] plain = concat(header(0x08, 3), unsignedBytes(7, 8, 9));
        assertArrayEquals(new int[]{7, 8, 9}, IdxReader.read(file("labels-without-extension", gzip(plain))).toInts());
        assertArrayEquals(new int[]{7, 8, 9}, IdxReader.read(file("plain-but-named.gz", plain)).toInts());
    }

    @Test
    void readsFromAStreamOfUnknownLength() {
        byte[] plain = concat(header(0x08, 2, 2), unsignedBytes(1, 2, 3, 4));
        assertArrayEquals(new int[]{1, 2, 3, 4}, IdxReader.read(new ByteArrayInputStream(plain), "stream").toInts());
        assertArrayEquals(new int[]{1, 2, 3, 4}, IdxReader.read(new ByteArrayInputStream(gzip(plain)), "stream").toInts());
    }

    @Test
    void readsAZeroItemFile() throws IOException {
        IdxData d = IdxReader.read(file("empty-labels", header(0x08, 0)));
        assertEquals(0, d.count());
        assertEquals(0, d.toInts().length);
    }

    // ------------------------------------------------------------------ round trips through IdxWriter

    @ParameterizedTest
    @ValueSource(strings = {"values-idx", "values-idx.gz"})
    void roundTripsEveryIntegerType(String name) {
        int[][] samples = {
                {0, 1, 127, 128, 255, 42},
                {-128, -1, 0, 1, 127, 5},
                {Short.MIN_VALUE, -1, 0, 1, Short.MAX_VALUE, 300},
                {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, 1 << 24 | 1}};
        IdxType[] types = {IdxType.UNSIGNED_BYTE, IdxType.SIGNED_BYTE, IdxType.SHORT, IdxType.INT};
        for (int t = 0; t < types.length; t++) {
            Path p = dir.resolve(types[t].name() + "-" + name);
            IdxWriter.write(p, types[t], new int[]{2, 3}, samples[t]);
            IdxData back = IdxReader.read(p);
            assertEquals(types[t], back.type());
            assertArrayEquals(new int[]{2, 3}, back.dims());
            assertArrayEquals(samples[t], back.toInts(), types[t].name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"values-idx", "values-idx.gz"})
    void roundTripsFloatsAndDoubles(String name) {
        float[] f = {0f, -1.5f, Float.MIN_VALUE, Float.MAX_VALUE, 3.25f, -0f};
        Path pf = dir.resolve("f-" + name);
        IdxWriter.write(pf, new int[]{6}, f);
        assertArrayEquals(f, IdxReader.read(pf).toFloats(1f));

        double[] d = {0.5, -2.0, 1e-3, 6.0};
        Path pd = dir.resolve("d-" + name);
        IdxWriter.write(pd, new int[]{2, 1, 2}, d);
        IdxData back = IdxReader.read(pd);
        assertEquals(IdxType.DOUBLE, back.type());
        assertArrayEquals(new int[]{2, 1, 2}, back.dims());
        assertArrayEquals(new float[]{0.5f, -2f, 1e-3f, 6f}, back.toFloats(1f));
    }

    @Test
    void gzipWriterReallyCompressesAndPlainWriterMatchesHandMadeBytes() throws IOException {
        int[] values = new int[1000];
        Path plain = dir.resolve("plain");
        Path gz = dir.resolve("zipped.gz");
        IdxWriter.write(plain, IdxType.UNSIGNED_BYTE, new int[]{10, 100}, values);
        IdxWriter.write(gz, IdxType.UNSIGNED_BYTE, new int[]{10, 100}, values);
        assertArrayEquals(concat(header(0x08, 10, 100), new byte[1000]), Files.readAllBytes(plain));
        byte[] gzBytes = Files.readAllBytes(gz);
        assertEquals(0x1F, gzBytes[0] & 0xFF);
        assertEquals(0x8B, gzBytes[1] & 0xFF);
        assertTrue(gzBytes.length < 200, "1000 zero bytes compress well, got " + gzBytes.length);
    }

    @Test
    void headKeepsTheFirstItemsUnchanged() {
        Path p = dir.resolve("images");
        IdxWriter.write(p, IdxType.UNSIGNED_BYTE, new int[]{3, 2}, new int[]{1, 2, 3, 4, 5, 6});
        IdxData head = IdxReader.read(p).head(2);
        assertArrayEquals(new int[]{2, 2}, head.dims());
        assertArrayEquals(new int[]{1, 2, 3, 4}, head.toInts());
        assertThrows(IllegalArgumentException.class, () -> IdxReader.read(p).head(4));
    }

    @Test
    void writerRejectsValuesOutsideTheTypeAndWrongCounts() {
        Path p = dir.resolve("bad");
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> IdxWriter.write(p, IdxType.UNSIGNED_BYTE, new int[]{2}, new int[]{3, 256}));
        assertMentions(range, "value 1 is 256", "[0, 255]");
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> IdxWriter.write(p, IdxType.INT, new int[]{2, 2}, new int[]{1, 2, 3}));
        assertMentions(count, "[2, 2]", "need 4 values", "3 were given");
        assertTrue(Files.notExists(p), "a refused write leaves no file");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void badMagicNamesFileAndBothValues() throws IOException {
        Path p = file("archive.zip", new byte[]{'P', 'K', 3, 4, 0, 0, 0, 0});
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(p));
        assertMentions(e, p.toString(), "0x504B0304", "two zero bytes", "0x00000803");
    }

    @Test
    void unknownTypeCodeListsKnownCodes() throws IOException {
        Path p = file("weird", concat(header(0x0A, 1), new byte[1]));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(p));
        assertMentions(e, p.toString(), "unknown IDX type code 0x0A", "0x08 (unsigned byte)", "0x0E (64-bit float)");
    }

    @Test
    void zeroDimensionsIsACorruptHeader() throws IOException {
        Path p = file("rank0", new byte[]{0, 0, 8, 0});
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(p));
        assertMentions(e, p.toString(), "declares 0 dimensions", "between 1 and 16");
    }

    @Test
    void emptyAndTooShortFiles() throws IOException {
        Path empty = file("empty", new byte[0]);
        assertMentions(assertThrows(DataFormatException.class, () -> IdxReader.read(empty)),
                empty.toString(), "has 0 bytes", "needs 4");
        Path cutHeader = file("cut-header", IdxBytes.prefix(header(0x08, 60000, 28, 28), 9));
        assertMentions(assertThrows(DataFormatException.class, () -> IdxReader.read(cutHeader)),
                cutHeader.toString(), "ends inside its header", "3 dimensions need 12 bytes", "only 5 follow");
    }

    @Test
    void missingFileIsNotFound() {
        Path p = dir.resolve("nope-idx1-ubyte");
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> IdxReader.read(p));
        assertMentions(e, p.toString(), "does not exist");
    }

    @Test
    void declaredSizeLargerThanPlainFileFailsBeforeReading() throws IOException {
        Path p = file("short-images", concat(header(0x08, 1000, 28, 28), new byte[100]));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(p));
        assertMentions(e, p.toString(), "[1000, 28, 28]", "784000 bytes", "should be 784016 bytes long", "has 116 bytes",
                "truncated");
    }

    @Test
    void hostileHeaderDeclaringTwoToThe31ItemsFailsFast() throws IOException {
        byte[] content = concat(header(0x08, 0x80000000), new byte[92]); // 100 bytes in all
        Path plain = file("hostile", content);
        assertMentions(assertThrows(DataFormatException.class, () -> IdxReader.read(plain)),
                plain.toString(), "declared as 2147483648", "header is corrupt");
        Path gz = file("hostile.gz", gzip(content));
        assertMentions(assertThrows(DataFormatException.class, () -> IdxReader.read(gz)), gz.toString(), "2147483648");
        assertMentions(assertThrows(DataFormatException.class,
                () -> IdxReader.read(new ByteArrayInputStream(content), "hostile stream")), "hostile stream", "2147483648");
    }

    @Test
    void hostileHeaderBelowTheArrayLimitFailsWithoutAllocatingIt() throws IOException {
        byte[] content = concat(header(0x0D, 1 << 28), new byte[92]); // declares 1 GiB of floats in 100 bytes
        Path plain = file("hostile-floats", content);
        assertMentions(assertThrows(DataFormatException.class, () -> IdxReader.read(plain)),
                "1073741824 bytes", "has 100 bytes", "truncated");
        Path gz = file("hostile-floats.gz", gzip(content));
        assertMentions(assertThrows(DataFormatException.class, () -> IdxReader.read(gz)),
                gz.toString(), "gzip file of", "holds at most about");

        // A stream has no known length: the reader must grow its buffer with the data, not trust the header.
        long before = allocatedBytes();
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxReader.read(new ByteArrayInputStream(gzip(content)), "hostile stream"));
        long allocated = allocatedBytes() - before;
        assertMentions(e, "hostile stream", "ends after 92 of the 1073741824 data bytes", "truncated");
        assertTrue(allocated < 16L << 20, "reading a hostile 100-byte stream allocated " + allocated + " bytes");
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    @Test
    void truncatedGzipDataNamesHowMuchArrived() throws IOException {
        byte[] plain = concat(header(0x08, 4000), randomBytes(4000));
        byte[] gz = gzip(plain);
        Path cut = file("cut.gz", IdxBytes.prefix(gz, gz.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(cut));
        assertMentions(e, cut.toString(), "of the 4000 data bytes", "truncated");
    }

    @Test
    void truncatedStreamNamesHowMuchArrived() {
        byte[] plain = concat(header(0x08, 10), unsignedBytes(1, 2, 3));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxReader.read(new ByteArrayInputStream(plain), "labels stream"));
        assertMentions(e, "labels stream", "ends after 3 of the 10 data bytes");
    }

    @Test
    void trailingGarbageIsRefused() throws IOException {
        byte[] content = concat(header(0x08, 3), unsignedBytes(1, 2, 3), unsignedBytes(9, 9));
        Path plain = file("garbage", content);
        assertMentions(assertThrows(DataFormatException.class, () -> IdxReader.read(plain)),
                plain.toString(), "2 bytes of trailing garbage");
        Path gz = file("garbage.gz", gzip(content));
        assertMentions(assertThrows(DataFormatException.class, () -> IdxReader.read(gz)),
                gz.toString(), "2 bytes of trailing garbage", "3 data bytes");
    }

    @Test
    void corruptGzipIsAFormatError() throws IOException {
        byte[] gz = gzip(concat(header(0x08, 3000), randomBytes(3000)));
        gz[gz.length / 2] ^= 0x5A; // damage the deflate stream
        gz[gz.length / 2 + 1] ^= 0x33;
        Path damaged = file("damaged.gz", gz);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(damaged));
        assertMentions(e, damaged.toString());

        Path notGzip = file("fake.gz", new byte[]{0x1F, (byte) 0x8B, 0, 0, 0});
        assertMentions(assertThrows(DataFormatException.class, () -> IdxReader.read(notGzip)),
                notGzip.toString(), "gzip");
    }

    @Test
    void nonWholeFloatsAreNotLabels() throws IOException {
        byte[] floats = concat(header(0x0D, 2), ByteBuffer.allocate(8).putFloat(1f).putFloat(2.5f).array());
        Path p = file("float-labels", floats);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(p).toInts());
        assertMentions(e, p.toString(), "value 1 is 2.5", "integer values");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new java.util.Random(7).nextBytes(b);
        return b;
    }
}
