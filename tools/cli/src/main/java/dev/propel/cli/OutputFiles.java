package dev.propel.cli;

import dev.propel.model.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a command writes: every target is checked before the command does any work (so a long
 * training is never thrown away because its result cannot be saved), a command never writes onto one
 * of its own inputs (compared as real paths, symbolic links followed), and files are replaced
 * atomically ({@link AtomicFiles}).
 */
final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * Fails with a message naming {@code option} when {@code target} cannot be written: it is one of
     * {@code inputs}, it is a directory or not a regular file, its directory does not exist, or a new
     * file cannot be created in that directory (read-only, no permission, a virtual file system such
     * as /proc). The directory is probed by creating and deleting a temporary file, the way the atomic
     * save itself will write, so the check holds for root and for read-only mounts alike.
     */
    static void check(String option, Path target, Collection<Path> inputs) {
        String what = "cannot write " + option + " " + target + ": ";
        for (Path input : inputs) {
            if (input != null && sameFile(target, input)) {
                throw new IllegalArgumentException(what + "it is " + (input.equals(target) ? "" : "the same file as ") + "an input of "
                        + "this command (" + input + "); writing there would destroy it, so give another file name");
            }
        }
        Path absolute = target.toAbsolutePath();
        if (Files.isDirectory(absolute)) throw new IllegalArgumentException(what + "it is a directory; give a file name");
        if (Files.exists(absolute) && !Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException(what + "it is not a regular file (a device, pipe or socket); give a file name");
        }
        Path dir = absolute.getParent();
        if (dir == null) return;
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(what + "the directory " + dir + " does not exist; create it first");
        }
        Path probe = dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
                + ".probe");
        try {
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + "no file can be created in " + dir + " (" + reason(e) + "); choose a writable directory");
        }
    }

    /**
     * {@code files} and, when {@code data} names a directory (an IDX dataset), the files in it: what a
     * command reads, which it must not write onto.
     */
    static List<Path> inputs(String data, Path... files) {
        List<Path> all = new ArrayList<>(Arrays.asList(files));
        if (data == null) return all;
        try {
            Path dir = Path.of(data.strip());
            if (Files.isDirectory(dir)) {
                try (Stream<Path> children = Files.list(dir)) {
                    children.forEach(all::add);
                }
            }
        } catch (InvalidPathException | IOException e) {
            // Not a readable directory: the data loader reports it.
        }
        return all;
    }

    /** Atomically replaces {@code target} with {@code text} in UTF-8; errors name {@code option} and the file. */
    static void writeString(String option, Path target, String text) {
        try {
            AtomicFiles.write(target, ch -> {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) ch.write(bytes);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + option + " " + target + ": " + reason(e), e);
        }
    }

    /** Whether {@code a} and {@code b} are one file: equal real paths, or (not yet existing) equal normalised absolute paths. */
    static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (IOException e) {
            // Unreadable: fall back to comparing the paths.
        }
        return realOrAbsolute(a).equals(realOrAbsolute(b));
    }

    /** The real path of the deepest existing ancestor, with the rest of the path appended. */
    private static Path realOrAbsolute(Path p) {
        Path absolute = p.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        if (existing == null) return absolute;
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }

    /** A short reason for an I/O failure that does not mislead ("no such file" for /proc becomes what it means). */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "the directory does not accept new files (a virtual file system such as /proc?)";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason().toLowerCase(Locale.ROOT);
        return e.getMessage();
    }
}
