package dev.propel.cli;

import dev.propel.data.IdxType;
import dev.propel.data.IdxWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inputs a careless or hostile user gives: each is one clear error line, in bounded time, or (when valid) accepted. */
class HostileInputsTest {
    @TempDir
    static Path dir;
    static Path spec;
    static Path model;

    @BeforeAll
    static void train() throws IOException {
        TinyRun run = TinyRun.in(dir, "m.pb");
        spec = run.spec();
        model = run.model();
    }

    private static String fails(String... args) {
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Cli.run(args), "bounded time");
        return ErrorsTest.oneLineError(r, 1);
    }

    @Test
    void aFifoIsNotOpened() throws Exception {
        Path fifo = dir.resolve("fifo.pb");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertTrue(fails("inspect", fifo.toString()).contains(fifo + ": not a regular file (a pipe, device or socket)"));
        assertTrue(fails("eval", fifo.toString(), "--data", "sample").contains("not a regular file"));
        Path fifoSpec = dir.resolve("fifo.json");
        assertEquals(0, new ProcessBuilder("mkfifo", fifoSpec.toString()).start().waitFor());
        assertTrue(fails("train", "--spec", fifoSpec.toString(), "--data", "sample").contains("not a regular file"));
    }

    @Test
    void endlessDevicesAreNotRead() {
        assertTrue(fails("train", "--spec", "/dev/zero", "--data", "sample").contains("/dev/zero: not a regular file"));
        assertTrue(fails("predict", model.toString(), "--input", "/dev/zero").contains("/dev/zero: not a regular file"));
        assertTrue(fails("inspect", "/dev/zero.pb").contains("no such model file"));
    }

    @Test
    void aHugeQuotedValueIsCutInTheErrorLine() throws IOException {
        String type = "x".repeat(1_000_000);
        Path p = Files.writeString(dir.resolve("huge-type.json"), TrainCommandTest.TINY_SPEC.replace("\"relu\"", "\"" + type + "\""));
        String line = fails("train", "--spec", p.toString(), "--data", "sample");
        assertTrue(line.length() < 2_000, "a short line: " + line.length() + " chars");
        assertTrue(line.contains("xxxx… (1000002 chars)") || line.contains("xxxx… (1000000 chars)"), line);
    }

    @Test
    void predictRefusesNonFiniteInputs() throws IOException {
        String row = "0," .repeat(783);
        Path csv = Files.writeString(dir.resolve("nan.csv"), row + "0\n" + row + "NaN\n");
        assertTrue(fails("predict", model.toString(), "--input", csv.toString())
                .contains(csv + " line 2, column 784: 'NaN' is not a finite number"));
        Path inf = Files.writeString(dir.resolve("inf.csv"), "Infinity," + row + "\n");
        assertTrue(fails("predict", model.toString(), "--input", inf.toString()).contains("'Infinity' is not a finite number"));
    }

    @Test
    void predictReadsAByteOrderMarkAndNamesBadUtf8() throws IOException {
        String row = "0," .repeat(783) + "0\n";
        Path bom = Files.writeString(dir.resolve("bom.csv"), "\uFEFF" + row);
        Cli ok = ModelCommandsTest.ok("predict", model.toString(), "--input", bom.toString());
        assertEquals(1, ok.out().lines().count(), ok.toString());
        byte[] bytes = (row + row).getBytes(StandardCharsets.UTF_8);
        bytes[row.length() + 2] = (byte) 0xFF;
        Path bad = Files.write(dir.resolve("latin.csv"), bytes);
        String line = fails("predict", model.toString(), "--input", bad.toString());
        assertTrue(line.contains(bad + ": not a UTF-8 text file: byte " + (row.length() + 2) + " (0xFF) is not valid UTF-8"), line);
        assertFalse(line.contains("Input length"), line);
    }

    @Test
    void anEmptyTrainingSetIsNamed() throws IOException {
        Path data = Files.createDirectories(dir.resolve("empty-train"));
        IdxWriter.write(data.resolve("train-images-idx3-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{0, 28, 28}, new int[0]);
        IdxWriter.write(data.resolve("train-labels-idx1-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{0}, new int[0]);
        IdxWriter.write(data.resolve("t10k-images-idx3-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{1, 28, 28}, new int[784]);
        IdxWriter.write(data.resolve("t10k-labels-idx1-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{1}, new int[]{9});
        String line = fails("train", "--spec", spec.toString(), "--data", data.toString(), "--epochs", "1");
        assertFalse(line.contains("by zero"), line);
        assertTrue(line.contains("no training examples"), line);
    }

    @Test
    void aHugeIdxLabelIsRefusedBeforeAllocatingItsClasses() throws IOException {
        Path data = Files.createDirectories(dir.resolve("huge-label"));
        int n = 200;
        int[] labels = new int[n];
        labels[7] = 16_000_000;
        IdxWriter.write(data.resolve("train-images-idx3-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{n, 28, 28}, new int[n * 784]);
        IdxWriter.write(data.resolve("train-labels-idx1-ubyte"), IdxType.INT, new int[]{n}, labels);
        IdxWriter.write(data.resolve("t10k-images-idx3-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{1, 28, 28}, new int[784]);
        IdxWriter.write(data.resolve("t10k-labels-idx1-ubyte"), IdxType.INT, new int[]{1}, new int[]{3});
        String line = fails("train", "--spec", spec.toString(), "--data", data.toString(), "--epochs", "1");
        assertTrue(line.contains("(the largest label, of example 7, is 16,000,000)"), line);
    }
}
