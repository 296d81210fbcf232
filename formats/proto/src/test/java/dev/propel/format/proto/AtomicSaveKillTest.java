package dev.propel.format.proto;

import dev.propel.Propel;
import dev.propel.model.ModelFiles;
import dev.propel.model.SavedModel;
import dev.propel.model.testplugin.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.propel.model.testplugin.SavedModelAssert.assertSameModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A process killed (SIGKILL) in the middle of saving over a model file leaves the old file intact. */
class AtomicSaveKillTest {
    private static final int FLOATS = 50_000_000; // a 200 MB model: long enough to kill mid-write

    @TempDir
    Path dir;

    @Test
    void killingTheSaverMidWriteNeverDamagesThePreviousFile() throws Exception {
        Path target = dir.resolve("model.pb");
        SavedModel previous;
        try (Propel propel = TinyModels.propel()) {
            previous = TinyModels.trained(propel, 1);
            ModelFiles.save(previous, target);
        }
        byte[] before = Files.readAllBytes(target);

        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                SaveUntilKilled.class.getName(), target.toString(), Integer.toString(FLOATS)));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
            String line = out.readLine();
            assertEquals("saving 1", line, "the child should start saving");
            Path partial = awaitPartialTemporaryFile(child, 60_000);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child should die");
            long partialSize = Files.size(partial);
            assertTrue(partialSize < (long) FLOATS * 4, "killed mid-write: " + partialSize + " bytes written");
        } finally {
            child.destroyForcibly();
        }
        assertArrayEquals(before, Files.readAllBytes(target), "the previous file is byte for byte as it was");
        assertSameModel(previous, ModelFiles.read(target));
    }

    /** Waits until the child's temporary file holds at least 8 MB, i.e. the child is writing tensor data. */
    private Path awaitPartialTemporaryFile(Process child, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (!child.isAlive()) fail("the child exited with " + child.exitValue() + " before it was killed");
            Optional<Path> tmp;
            try (var files = Files.list(dir)) {
                tmp = files.filter(p -> p.getFileName().toString().startsWith(".model.pb.")).findFirst();
            }
            if (tmp.isPresent()) {
                try {
                    if (Files.size(tmp.get()) >= 8 << 20) return tmp.get();
                } catch (java.nio.file.NoSuchFileException renamedMeanwhile) {
                    fail("the child finished a save before it could be killed mid-write; use a larger model");
                }
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the child never started writing a temporary file");
    }
}
