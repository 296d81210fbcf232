package dev.propel.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private static AtomicFiles.Content bytes(byte[] b) {
        return ch -> ch.write(ByteBuffer.wrap(b));
    }

    @Test
    void writesANewFileAndReplacesAnOldOne() throws Exception {
        Path f = dir.resolve("m.pb");
        AtomicFiles.write(f, bytes(new byte[]{1, 2, 3}));
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(f));
        AtomicFiles.write(f, bytes(new byte[]{4}));
        assertArrayEquals(new byte[]{4}, Files.readAllBytes(f));
        assertEquals(List.of(f), list());
    }

    @Test
    void aFailureMidWriteLeavesThePreviousFileAndNoTemporaryFile() throws Exception {
        Path f = dir.resolve("m.pb");
        AtomicFiles.write(f, bytes(new byte[]{9, 9}));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, ch -> {
            ch.write(ByteBuffer.wrap(new byte[1000]));
            throw new IOException("disk full (injected)");
        }));
        assertEquals("disk full (injected)", e.getMessage());
        assertArrayEquals(new byte[]{9, 9}, Files.readAllBytes(f));
        assertEquals(List.of(f), list());
    }

    @Test
    void aRuntimeFailureMidWriteAlsoLeavesThePreviousFile() throws Exception {
        Path f = dir.resolve("m.pb");
        AtomicFiles.write(f, bytes(new byte[]{7}));
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, ch -> {
            ch.write(ByteBuffer.wrap(new byte[10]));
            throw new IllegalStateException("bug in a writer (injected)");
        }));
        assertArrayEquals(new byte[]{7}, Files.readAllBytes(f));
        assertEquals(List.of(f), list());
    }

    @Test
    void aMissingDirectoryOrADirectoryTargetIsAClearError() {
        IOException missing = assertThrows(NoSuchFileException.class,
                () -> AtomicFiles.write(dir.resolve("nope/m.pb"), bytes(new byte[1])));
        assertTrue(missing.getMessage().contains("create it first"), missing.getMessage());
        IOException isDir = assertThrows(IOException.class, () -> AtomicFiles.write(dir, bytes(new byte[1])));
        assertTrue(isDir.getMessage().contains("is a directory"), isDir.getMessage());
    }

    private List<Path> list() throws IOException {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }
}
