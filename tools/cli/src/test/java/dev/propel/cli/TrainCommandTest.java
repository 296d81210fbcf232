package dev.propel.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.propel.data.IdxType;
import dev.propel.data.IdxWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code propel train} end to end, in-process, on the bundled sample and on a tiny IDX directory. */
class TrainCommandTest {
    static final String TINY_SPEC = """
            {"input": [784],
             "layers": [{"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dense", "units": 10}],
             "loss": {"type": "cross_entropy"},
             "optimizer": {"type": "adam", "learning_rate": 0.005}}""";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @TempDir
    static Path dir;
    static Path tinySpec;

    @BeforeAll
    static void writeSpec() throws IOException {
        tinySpec = Files.writeString(dir.resolve("tiny.json"), TINY_SPEC);
    }

    /** Parses standard output, which must hold exactly one JSON object and nothing else. */
    static JsonNode json(Cli r) throws IOException {
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode root = JSON.readTree(r.out());
        assertTrue(root.isObject(), r.out());
        return root;
    }

    @Test
    void jsonReportsEveryEpochAndTheBestEpochsTestAccuracy() throws IOException {
        Cli r = Cli.run("--threads", "1", "train", "--spec", tinySpec.toString(), "--data", "sample", "--epochs", "2",
                "--batch-size", "64", "--seed", "3", "--json");
        JsonNode root = json(r);

        JsonNode epochs = root.get("epochs");
        assertEquals(2, epochs.size());
        for (int i = 0; i < 2; i++) {
            JsonNode e = epochs.get(i);
            assertEquals(i + 1, e.get("epoch").intValue());
            for (String key : List.of("loss", "train_accuracy", "test_loss", "test_accuracy", "learning_rate", "seconds")) {
                assertTrue(e.get(key).isNumber(), key + " in " + e);
            }
            assertTrue(e.get("loss").doubleValue() > 0, e.toString());
            assertTrue(e.get("seconds").doubleValue() >= 0, e.toString());
            assertEquals(0.005, e.get("learning_rate").doubleValue(), 1e-9);
            assertFalse(e.has("validation_loss"), "no validation split was asked for");
        }
        int best = root.get("best_epoch").intValue();
        assertTrue(best == 1 || best == 2, root.toString());
        JsonNode bestEpoch = epochs.get(best - 1);
        assertEquals(bestEpoch.get("test_accuracy").doubleValue(), root.get("test_accuracy").doubleValue());
        assertEquals(bestEpoch.get("test_loss").doubleValue(), root.get("test_loss").doubleValue());
        assertTrue(root.get("test_accuracy").doubleValue() > 0.6,
                "a 784-16-10 MLP reaches well above chance (0.1) on the sample in 2 epochs: " + root);
        assertEquals(1, root.get("threads").intValue());
        assertTrue(root.get("kernels").isTextual());
        assertTrue(root.get("samples_per_second").longValue() > 0);
        assertTrue(root.get("seconds").doubleValue() > 0);
        assertEquals(784 * 16 + 16 + 16 * 10 + 10, root.get("parameters").longValue());
        assertEquals("sample", root.get("data").textValue());
        assertEquals(6000, root.get("train_examples").intValue());
        assertEquals(1000, root.get("test_examples").intValue());
        assertEquals("adam", root.get("optimizer").textValue());
        assertEquals("mini-batch", root.get("mode").textValue());
        assertEquals(64, root.get("batch_size").intValue());
        assertEquals("completed 2 epochs", root.get("stop_reason").textValue());

        assertTrue(r.err().contains("epoch 1/2: loss "), r.err());
        assertTrue(r.err().contains("epoch 2/2: loss "), r.err());
        assertFalse(r.err().contains("\r"), "no progress bar redraws when stderr is not a terminal");

        Cli again = Cli.run("train", "--spec", tinySpec.toString(), "--data", "sample", "--epochs", "2",
                "--batch-size", "64", "--seed", "3", "--json", "--threads", "1");
        JsonNode root2 = json(again);
        assertEquals(1, root2.get("threads").intValue(), "--threads after the command works too");
        for (int i = 0; i < 2; i++) {
            // Same seed, same run, exactly: the kernels' results do not depend on JIT timing (JitIndependenceTest).
            assertEquals(epochs.get(i).get("loss").doubleValue(), root2.get("epochs").get(i).get("loss").doubleValue(),
                    "same seed gives the same run");
            assertEquals(epochs.get(i).get("test_accuracy").doubleValue(),
                    root2.get("epochs").get(i).get("test_accuracy").doubleValue());
        }
        JsonNode other = json(Cli.run("train", "--spec", tinySpec.toString(), "--data", "sample", "--epochs", "1",
                "--batch-size", "64", "--seed", "4", "--json", "--threads", "1"));
        assertTrue(Math.abs(other.get("epochs").get(0).get("loss").doubleValue() - epochs.get(0).get("loss").doubleValue()) > 1e-4,
                "another seed gives another run");
    }

    @Test
    void withoutJsonStdoutIsTheSummaryLine() {
        Cli r = Cli.run("train", "--spec", tinySpec.toString(), "--data", "sample", "--epochs", "1", "--threads", "1");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().strip().matches("backprop: test accuracy 0\\.\\d{4} after 1 epoch \\(\\d+\\.\\d s\\)"), r.out());
        assertTrue(r.err().contains(tinySpec + ": 12,730 parameters, adam lr 0.005 on sample (6000 train / 1000 test examples)"),
                r.err());
    }

    @Test
    void validationSplitHoldsOutTrainingDataAndStillMeasuresTheTestSplit() throws IOException {
        Cli r = Cli.run("train", "--spec", tinySpec.toString(), "--data", "sample", "--epochs", "1", "--threads", "1",
                "--validation-split", "0.1", "--lr-schedule", "cosine", "--clip-norm", "5", "--json");
        JsonNode root = json(r);
        JsonNode e = root.get("epochs").get(0);
        assertTrue(e.get("validation_loss").isNumber() && e.get("validation_accuracy").isNumber(), e.toString());
        assertTrue(e.get("test_accuracy").isNumber(), e.toString());
        assertEquals(0.1, root.get("validation_split").doubleValue());
        assertEquals("cosine", root.get("lr_schedule").textValue());
        assertTrue(r.err().contains("val acc"), r.err());
        assertTrue(r.err().contains("epoch 1/1: test loss"), r.err());
    }

    @Test
    void learningRateOptionOverridesTheSpec() throws IOException {
        JsonNode root = json(Cli.run("train", "--spec", tinySpec.toString(), "--data", "sample", "--epochs", "1",
                "--threads", "1", "--lr", "0.002", "--mode", "mini-batch", "--json"));
        assertEquals(0.002, root.get("learning_rate").doubleValue(), 1e-9);
        assertEquals(0.002, root.get("epochs").get(0).get("learning_rate").doubleValue(), 1e-9);
    }

    @Test
    void earlyStoppingEndsTheRunWhenTheTestLossStopsImproving() throws IOException {
        // A learning rate this high makes the test loss bounce within a few epochs; patience 0 stops at the first bounce.
        JsonNode root = json(Cli.run("train", "--spec", tinySpec.toString(), "--data", "sample", "--epochs", "8",
                "--threads", "1", "--lr", "0.05", "--early-stopping", "0", "--json"));
        int ran = root.get("epochs").size();
        assertTrue(ran < 8, root.toString());
        assertTrue(root.get("stop_reason").textValue().startsWith("early stopping: no improvement of validation_loss"), root.toString());
        assertEquals(8, root.get("epochs_requested").intValue());
    }

    @Test
    void trainsOnADirectoryOfIdxFiles() throws IOException {
        Path data = Files.createDirectories(dir.resolve("idx-2-classes"));
        writeIdx(data, "train", 40, 11);
        writeIdx(data, "t10k", 20, 12);
        Path spec = Files.writeString(dir.resolve("small.json"), """
                {"input": [16], "layers": [{"type": "dense", "units": 2}], "loss": {"type": "cross_entropy"},
                 "optimizer": {"type": "sgd", "learning_rate": 0.1}}""");
        JsonNode root = json(Cli.run("train", "--spec", spec.toString(), "--data", data.toString(), "--epochs", "3",
                "--batch-size", "8", "--threads", "1", "--json"));
        assertEquals(40, root.get("train_examples").intValue());
        assertEquals(20, root.get("test_examples").intValue());
        assertEquals(3, root.get("epochs").size());
        assertTrue(root.get("test_accuracy").doubleValue() >= 0.9,
                "class 1 images are bright, class 0 dark: a linear model separates them: " + root);
    }

    /** 4×4 images: class 1 is bright (200..255), class 0 dark (0..55), so the classes separate linearly. */
    static void writeIdx(Path dir, String prefix, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] images = new int[n * 16];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int p = 0; p < 16; p++) images[i * 16 + p] = labels[i] * 200 + rng.nextInt(56);
        }
        IdxWriter.write(dir.resolve(prefix + "-images-idx3-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{n, 4, 4}, images);
        IdxWriter.write(dir.resolve(prefix + "-labels-idx1-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{n}, labels);
    }

    @Test
    void divergenceIsOneErrorLineNamingTheEpoch() throws IOException {
        Path spec = Files.writeString(dir.resolve("diverge.json"), """
                {"input": [784], "layers": [{"type": "dense", "units": 10}], "loss": {"type": "mse"},
                 "optimizer": {"type": "sgd", "learning_rate": 1e30}}""");
        Cli r = Cli.run("train", "--spec", spec.toString(), "--data", "sample", "--epochs", "1", "--threads", "1");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("", r.out());
        List<String> errors = new ArrayList<>(r.errLines().stream().filter(l -> l.startsWith("propel: error: ")).toList());
        assertEquals(1, errors.size(), r.toString());
        assertTrue(errors.getFirst().startsWith("propel: error: training diverged at epoch 1, batch "), r.toString());
        assertEquals(errors.getFirst(), r.errLines().getLast(), "the error is the last thing printed");
    }
}
