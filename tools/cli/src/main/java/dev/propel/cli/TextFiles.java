package dev.propel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Text files the commands read (specs, CSV examples), with bounded work whatever the file is: only
 * regular files are opened (a FIFO would block forever, {@code /dev/zero} never ends), at most
 * {@code maxBytes} are read, the text must be UTF-8 (the error gives the byte offset of the first bad
 * byte), and a leading byte order mark is dropped.
 */
final class TextFiles {
    /** The largest spec file read: a spec is a few kilobytes; 16 MiB leaves room for huge attribute lists. */
    static final long MAX_SPEC_BYTES = 16L << 20;

    private TextFiles() {
    }

    /** The largest examples file read: an eighth of the heap, since its numbers take as much again as floats. */
    static long maxDataBytes() {
        return Math.min(Runtime.getRuntime().maxMemory() / 8, Integer.MAX_VALUE - 64);
    }

    /**
     * The text of {@code file}, whose kind {@code what} names in errors ("JSON", "CSV");
     * {@code hint} tells what the file should be.
     */
    static String read(Path file, String what, long maxBytes, String hint) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + ": no such file (looked for " + file.toAbsolutePath() + "); " + hint);
        }
        if (Files.isDirectory(file)) throw new IllegalArgumentException(file + ": is a directory, not a " + what + " file; " + hint);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": not a regular file (a pipe, device or socket), so it is not read; " + hint);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        } catch (AccessDeniedException e) {
            throw new UncheckedIOException("cannot read " + file + ": permission denied", e);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("cannot read " + file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: too large for a %s file (more than %,d bytes); %s",
                    file, what, maxBytes, hint));
        }
        return decodeUtf8(bytes, file + ": not a UTF-8 text file", hint);
    }

    /** {@code bytes} as UTF-8 without a leading byte order mark; malformed input names its byte offset. */
    static String decodeUtf8(byte[] bytes, String notText, String hint) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: byte %d (0x%02X) is not valid UTF-8; %s", notText,
                    in.position(), bytes[in.position()] & 0xFF, hint));
        }
        try {
            r = decoder.flush(out);
            if (r.isError()) r.throwException();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(notText + ": it ends inside a UTF-8 character; " + hint, e);
        }
        out.flip();
        if (out.hasRemaining() && out.get(0) == '\uFEFF') out.position(1);
        return out.toString();
    }
}
