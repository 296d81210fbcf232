package dev.propel.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a 4-byte magic number
 * {@code 0x00 0x00 <type> <rank>}, then {@code rank} big-endian 32-bit dimensions, then the values
 * in row-major order, big-endian. The file may be gzip-compressed; that is detected from the gzip
 * magic bytes {@code 1F 8B}, not from the file name.
 *
 * <p>Sizes declared in the header are checked before memory is allocated (design.md rule 6): a
 * plain file must have exactly the declared length; a gzip file must be large enough to hold the
 * declared data at deflate's maximum compression ratio, and its data is read in growing chunks, so
 * a hostile header cannot make the reader allocate much more than the bytes actually present.
 */
public final class IdxReader {
    /** The largest array the JVM reliably allocates. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** More dimensions than this is taken as a corrupt header. */
    static final int MAX_RANK = 16;
    /** Deflate cannot expand data by more than about 1032:1; gzip adds at least 18 bytes of framing. */
    static final long DEFLATE_MAX_RATIO = 1032;
    private static final int FIRST_CHUNK = 1 << 20;
    private static final long SATURATED = 1L << 40;
    private static final long TRAILING_COUNT_LIMIT = 1L << 26;

    private IdxReader() {
    }

    /** Reads an IDX file, plain or gzip. */
    public static IdxData read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DataNotFoundException("IDX file " + file + " does not exist");
        } catch (IOException e) {
            throw new DataException("cannot read IDX file " + file + ": " + e, e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), size);
        } catch (IOException e) {
            throw new DataException("cannot read IDX file " + file + ": " + e, e);
        }
    }

    /**
     * Reads IDX data, plain or gzip, from a stream of unknown length (e.g. a class-path resource);
     * {@code source} names it in error messages. The stream is read to its end but not closed.
     */
    public static IdxData read(InputStream in, String source) {
        try {
            return read(in, source, -1);
        } catch (IOException e) {
            throw new DataException("cannot read IDX data from " + source + ": " + e, e);
        }
    }

    private static IdxData read(InputStream raw, String source, long fileSize) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1F && buffered.read() == 0x8B;
        buffered.reset();
        InputStream in = buffered;
        if (gzip) {
            try {
                in = new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
            } catch (ZipException | EOFException e) {
                throw new DataFormatException(source + " starts with the gzip magic bytes 1F 8B but is not a valid gzip file ("
                        + e.getMessage() + "); the file is corrupt or truncated: download or copy it again");
            }
        }
        try {
            return readIdx(in, source, gzip, fileSize);
        } catch (ZipException e) {
            throw new DataFormatException(source + ": corrupt gzip data (" + e.getMessage()
                    + "); the file is damaged: download or copy it again", e);
        }
    }

    private static IdxData readIdx(InputStream in, String source, boolean gzip, long fileSize) throws IOException {
        String what = gzip ? source + " (gzip)" : source;
        byte[] magic = new byte[4];
        int got = readFully(in, magic, 0, 4);
        if (got < 4) {
            throw new DataFormatException(what + " is too short to be an IDX file: it has " + got
                    + " bytes but the magic number alone needs 4");
        }
        int magicNumber = ((magic[0] & 0xFF) << 24) | ((magic[1] & 0xFF) << 16) | ((magic[2] & 0xFF) << 8) | (magic[3] & 0xFF);
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataFormatException(what + " is not an IDX file: its magic number is " + hex(magicNumber)
                    + " but an IDX file starts with two zero bytes, a type code and the number of dimensions, "
                    + "e.g. 0x00000803 for images or 0x00000801 for labels");
        }
        IdxType type = IdxType.fromCode(magic[2] & 0xFF);
        if (type == null) {
            throw new DataFormatException(what + ": unknown IDX type code " + String.format("0x%02X", magic[2] & 0xFF)
                    + " in magic number " + hex(magicNumber) + "; known type codes are " + IdxType.describeAll());
        }
        int rank = magic[3] & 0xFF;
        if (rank < 1 || rank > MAX_RANK) {
            throw new DataFormatException(what + ": the magic number " + hex(magicNumber) + " declares " + rank
                    + " dimensions but an IDX file has between 1 and " + MAX_RANK + "; the header is corrupt");
        }
        byte[] dimBytes = new byte[4 * rank];
        got = readFully(in, dimBytes, 0, dimBytes.length);
        if (got < dimBytes.length) {
            throw new DataFormatException(what + " ends inside its header: " + rank + " dimensions need "
                    + dimBytes.length + " bytes after the magic number but only " + got + " follow; the file is truncated");
        }
        int[] dims = new int[rank];
        long elements = 1;
        long[] declared = new long[rank];
        for (int i = 0; i < rank; i++) {
            declared[i] = Integer.toUnsignedLong(((dimBytes[4 * i] & 0xFF) << 24) | ((dimBytes[4 * i + 1] & 0xFF) << 16)
                    | ((dimBytes[4 * i + 2] & 0xFF) << 8) | (dimBytes[4 * i + 3] & 0xFF));
            if (declared[i] > MAX_ARRAY) {
                throw new DataFormatException(what + ": dimension " + i + " is declared as " + declared[i]
                        + ", more than the " + MAX_ARRAY + " items one array can hold; the header is corrupt");
            }
            // saturate instead of overflowing: anything past MAX_ARRAY is refused below anyway
            elements = declared[i] != 0 && elements > SATURATED / declared[i] ? SATURATED : elements * declared[i];
        }
        long headerBytes = 4L + 4L * rank;
        long dataBytes = elements * type.bytes();
        String declaration = "dimensions " + Arrays.toString(declared) + " of " + type + " (" + elements + " values, "
                + dataBytes + " bytes)";
        if (dataBytes > MAX_ARRAY) {
            throw new DataFormatException(what + " declares " + declaration + ", more than the " + MAX_ARRAY
                    + " bytes one array can hold; the header is corrupt, or the file must be split");
        }
        if (!gzip && fileSize >= 0 && headerBytes + dataBytes != fileSize) {
            long expected = headerBytes + dataBytes;
            throw new DataFormatException(what + " declares " + declaration + ", so it should be " + expected
                    + " bytes long, but it has " + fileSize + " bytes: "
                    + (fileSize < expected ? "the file is truncated or its header is corrupt"
                    : (fileSize - expected) + " bytes of trailing garbage after the data (a corrupt header or joined files)"));
        }
        if (gzip && fileSize >= 0 && headerBytes + dataBytes > fileSize * DEFLATE_MAX_RATIO) {
            throw new DataFormatException(what + " declares " + declaration + ", but a gzip file of " + fileSize
                    + " bytes holds at most about " + fileSize * DEFLATE_MAX_RATIO
                    + " bytes uncompressed; the file is truncated or its header is corrupt");
        }
        for (int i = 0; i < rank; i++) dims[i] = (int) declared[i];
        byte[] data = readData(in, what, declaration, (int) dataBytes, gzip || fileSize < 0);
        long trailing = countRemaining(in);
        if (trailing > 0) {
            throw new DataFormatException(what + " has " + (trailing >= TRAILING_COUNT_LIMIT ? "at least " : "") + trailing
                    + " bytes of trailing garbage after the " + dataBytes + " data bytes its header declares ("
                    + declaration + "); the header is corrupt or two files were joined");
        }
        return new IdxData(source, type, dims, data);
    }

    /** Reads exactly {@code n} bytes; when the length is not known up front, grows the array as data arrives. */
    private static byte[] readData(InputStream in, String what, String declaration, int n, boolean growing) throws IOException {
        byte[] data = new byte[growing ? Math.min(n, FIRST_CHUNK) : n];
        int have = 0;
        try {
            while (have < n) {
                if (have == data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(n, 2L * data.length));
                }
                int r = in.read(data, have, data.length - have);
                if (r < 0) break;
                have += r;
            }
        } catch (EOFException e) {
            // GZIPInputStream reports a stream cut inside a deflate block this way.
        }
        if (have < n) {
            throw new DataFormatException(what + " ends after " + have + " of the " + n + " data bytes its header declares ("
                    + declaration + "); the file is truncated: download or copy it again");
        }
        return data;
    }

    private static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int have = 0;
        try {
            while (have < len) {
                int r = in.read(b, off + have, len - have);
                if (r < 0) break;
                have += r;
            }
        } catch (EOFException e) {
            // truncated gzip stream: report how much arrived
        }
        return have;
    }

    private static long countRemaining(InputStream in) throws IOException {
        byte[] skip = new byte[8192];
        long total = 0;
        try {
            int r;
            while (total < TRAILING_COUNT_LIMIT && (r = in.read(skip)) >= 0) total += r;
        } catch (EOFException e) {
            // a truncated gzip member after the data still counts as trailing garbage
            total = Math.max(total, 1);
        }
        return total;
    }

    private static String hex(int v) {
        return String.format("0x%08X", v);
    }
}
