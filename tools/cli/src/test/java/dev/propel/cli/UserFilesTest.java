package dev.propel.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing a user owns is lost: a command never writes onto its own inputs, finds out before working
 * that it cannot write its output, and never replaces a good model with a diverged one.
 */
class UserFilesTest {
    @TempDir
    static Path dir;
    static Path spec;
    static Path model;
    static Path other;

    @BeforeAll
    static void train() throws IOException {
        TinyRun run = TinyRun.in(dir, "a.pb");
        spec = run.spec();
        model = run.model();
        other = dir.resolve("b.pb");
        ModelCommandsTest.ok("convert", model.toString(), other.toString());
    }

    /** Runs the command, expects one error line containing {@code fragments}, and that {@code kept} did not change. */
    private static String refused(Path kept, int exitCode, String[] args, String... fragments) throws IOException {
        byte[] before = Files.readAllBytes(kept);
        String line = errorLine(Cli.run(args), exitCode, fragments);
        assertArrayEquals(before, Files.readAllBytes(kept), kept + " changed");
        return line;
    }

    /**
     * The exit code, nothing on standard output, and exactly one error line, the last on standard error
     * (a training run prints its progress before it fails), containing each fragment.
     */
    static String errorLine(Cli r, int exitCode, String... fragments) {
        assertEquals(exitCode, r.exitCode(), r.toString());
        assertEquals("", r.out(), r.toString());
        List<String> errors = r.errLines().stream().filter(l -> l.contains("error:")).toList();
        assertEquals(1, errors.size(), "one error line: " + r);
        String line = errors.getFirst();
        assertEquals(line, r.errLines().getLast(), "the error is the last line: " + r);
        assertTrue(line.startsWith("propel: error: "), line);
        for (String f : fragments) assertTrue(line.contains(f), "'" + f + "' in: " + line);
        return line;
    }

    private static String[] args(String... a) {
        return a;
    }

    @Test
    void compareReportOntoAnInputIsRefused() throws IOException {
        refused(model, 2, args("compare", model.toString(), other.toString(), "--data", "sample", "--report", model.toString()),
                "--report writes an HTML page: give a file name ending in .html");
        Path link = dir.resolve("link-to-a.html");
        Files.createSymbolicLink(link, model);
        refused(model, 1, args("compare", model.toString(), other.toString(), "--data", "sample", "--report", link.toString()),
                "cannot write --report " + link + ": it is the same file as an input of this command (" + model + ")");
    }

    @Test
    void compareReportIsWrittenAtomicallyAsHtml() throws IOException {
        Path report = dir.resolve("report.html");
        ModelCommandsTest.ok("compare", model.toString(), other.toString(), "--data", "sample", "--report", report.toString());
        assertTrue(Files.readString(report).startsWith("<!DOCTYPE html>"), "an HTML page");
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left behind");
        }
    }

    @Test
    void trainOutOntoItsSpecIsRefusedBeforeTraining() throws IOException {
        String line = refused(spec, 1, args("train", "--spec", spec.toString(), "--data", "sample", "--epochs", "1", "--out",
                spec.toString()), "cannot write --out " + spec + ": it is an input of this command");
        assertFalse(line.contains("epoch 1"), line);
    }

    @Test
    void convertOntoItsInputThroughASymlinkIsRefused() throws IOException {
        Path link = dir.resolve("alias.pb");
        Files.createSymbolicLink(link, model);
        refused(model, 1, args("convert", model.toString(), link.toString()), "it is the same file as an input");
        refused(model, 1, args("convert", model.toString(), model.toString()), "it is an input of this command");
    }

    @Test
    void unwritableOutIsFoundBeforeTraining() throws IOException {
        Path existingDir = Files.createDirectories(dir.resolve("models.pb"));
        long t0 = System.nanoTime();
        refused(spec, 1, args("train", "--spec", spec.toString(), "--data", "sample", "--epochs", "50", "--out",
                existingDir.toString()), "cannot write --out " + existingDir + ": it is a directory; give a file name");
        refused(spec, 1, args("train", "--spec", spec.toString(), "--data", "sample", "--epochs", "50", "--out", "/proc/model.pb"),
                "cannot write --out /proc/model.pb: no file can be created in /proc (the directory does not accept new files");
        refused(spec, 1, args("train", "--spec", spec.toString(), "--data", "sample", "--epochs", "50", "--out",
                dir.resolve("missing/model.pb").toString()), "the directory " + dir.resolve("missing") + " does not exist");
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "refused before 50 epochs of training");
    }

    @Test
    void unwritableDirectoryIsFoundBeforeTraining() throws IOException {
        Path readOnly = Files.createDirectories(dir.resolve("read-only"));
        assertTrue(readOnly.toFile().setWritable(false, false));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(readOnly), "root may write into a read-only directory");
            refused(spec, 1, args("train", "--spec", spec.toString(), "--data", "sample", "--epochs", "50", "--out",
                    readOnly.resolve("m.pb").toString()), "no file can be created in " + readOnly + " (permission denied)");
        } finally {
            readOnly.toFile().setWritable(true, false);
        }
    }

    @Test
    void aDivergedRunNeverReplacesAGoodModel() throws IOException {
        Path good = Files.copy(model, dir.resolve("good.pb"));
        String line = refused(good, 1, args("--threads", "1", "train", "--spec", spec.toString(), "--data", "sample", "--epochs", "2",
                        "--lr", "1e6", "--out", good.toString()),
                "training diverged at epoch 1, batch ", "more than 1000 times the best so far", good + " was left as it was",
                "add --keep-last-good");
        assertFalse(line.contains("the loss is NaN in the loss"), line);
    }

    @Test
    void keepLastGoodSavesTheLastEpochBeforeTheDivergence() throws IOException {
        Path good = Files.copy(model, dir.resolve("kept.pb"));
        Path lastGood = dir.resolve("kept-last-good.pb");
        // Epoch 1 at a sane rate; the step schedule then multiplies it by 1e8 and epoch 2 diverges.
        refused(good, 1, args("--threads", "1", "train", "--spec", spec.toString(), "--data", "sample", "--epochs", "3",
                        "--lr-schedule", "step:1:1e8", "--out", good.toString(), "--keep-last-good"),
                "training diverged at epoch 2", "the weights of epoch 1, the last good one, were saved to " + lastGood);
        Cli eval = ModelCommandsTest.ok("eval", lastGood.toString(), "--data", "sample");
        assertTrue(eval.out().contains("accuracy"), eval.toString());
    }

    @Test
    void keepLastGoodNeedsOut() {
        ErrorsTest.oneLineError(Cli.run("train", "--spec", spec.toString(), "--data", "sample", "--keep-last-good"), 2,
                "--keep-last-good saves next to --out: give --out FILE");
    }
}
