package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code propel train --algorithm forward-forward} end to end on the bundled sample, with the standard plugin's layers. */
class ForwardForwardTrainTest {
    static final String FF_SPEC = """
            {"input": [784],
             "layers": [{"type": "dense", "units": 128, "init": "lecun_normal"}, {"type": "relu"},
                        {"type": "dense", "units": 128, "init": "lecun_normal"}, {"type": "relu"}],
             "loss": {"type": "cross_entropy"},
             "optimizer": {"type": "adam", "learning_rate": 0.001}}""";

    @TempDir
    static Path dir;
    static Path ffSpec;

    @BeforeAll
    static void writeSpec() throws IOException {
        ffSpec = Files.writeString(dir.resolve("ff.json"), FF_SPEC);
    }

    private static Cli train(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--threads", "1", "train", "--algorithm", "forward-forward",
                "--spec", ffSpec.toString(), "--data", "sample", "--batch-size", "100", "--seed", "2"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void trainsOnTheSampleAndReportsEveryEpochInJson() throws IOException {
        Cli r = train("--epochs", "3", "--json", "--lr-schedule", "linear-half", "--first-counted-layer", "0");
        JsonNode root = TrainCommandTest.json(r);
        assertEquals("forward-forward", root.get("algorithm").textValue());
        assertEquals(3, root.get("epochs").size());
        for (JsonNode e : root.get("epochs")) {
            for (String key : List.of("loss", "train_accuracy", "test_loss", "test_accuracy", "learning_rate", "seconds")) {
                assertTrue(e.get(key).isNumber(), key + " in " + e);
            }
        }
        assertEquals(0.001, root.get("epochs").get(0).get("learning_rate").doubleValue(), 1e-7);
        assertEquals(0.001, root.get("epochs").get(1).get("learning_rate").doubleValue(), 1e-7, "linear-half, epoch 2 of 3: 0.001·(1 + 2·1)/3");
        assertEquals(0.001 / 3, root.get("epochs").get(2).get("learning_rate").doubleValue(), 1e-7, "linear-half: 0.001·(1 + 0)/3");
        assertTrue(root.get("test_accuracy").doubleValue() > 0.5, "FF on the sample in 3 epochs (chance: 0.1): " + root);
        JsonNode epochs = root.get("epochs");
        assertTrue(epochs.get(2).get("loss").doubleValue() < epochs.get(0).get("loss").doubleValue(), "the local losses fell");
        JsonNode ff = root.get("forward_forward");
        assertEquals("sum", ff.get("goodness").textValue());
        assertEquals("goodness", ff.get("prediction_rule").textValue());
        assertEquals(0, ff.get("first_counted_block").intValue());
        assertEquals(10, ff.get("classes").intValue());
        assertFalse(ff.get("softmax_head").booleanValue());
        assertEquals(784 * 128 + 128 + 128 * 128 + 128, root.get("parameters").longValue());
        assertTrue(root.get("peak_live_heap_bytes").longValue() > 0);
        assertTrue(root.get("activation_bytes").longValue() > 0);
        assertTrue(r.err().contains("2 Forward-Forward layers (784-128-128)"), r.err());
        assertTrue(r.err().contains("epoch 3/3"), r.err());
    }

    @Test
    void softmaxRuleWithHardNegativesAndGreedySchedule() throws IOException {
        Path saved = dir.resolve("softmax-head.pb");
        Cli r = train("--epochs", "1", "--json", "--negatives", "hard", "--prediction-rule", "softmax", "--layer-schedule", "greedy",
                "--head-lr", "0.01", "--out", saved.toString());
        JsonNode root = TrainCommandTest.json(r);
        assertEquals(2, root.get("epochs").size(), "greedy: one epoch per layer");
        assertTrue(root.get("forward_forward").get("softmax_head").booleanValue());
        assertEquals(784 * 128 + 128 + 128 * 128 + 128 + 128 * 10 + 10, root.get("parameters").longValue(), "stack and head");
        // train's header and inspect count the same parameters: the stack's and the head's.
        assertTrue(r.err().contains(": 118,282 parameters in 2 Forward-Forward layers (784-128-128) and a softmax head, adam lr 0.001 per layer"),
                r.err());
        Cli inspect = Cli.run("inspect", saved.toString());
        assertTrue(inspect.out().contains("parameters: 118,282 in "), inspect.out());
        assertTrue(root.get("test_accuracy").doubleValue() > 0.4, root.toString());
    }

    @Test
    void summaryLineWithoutJson() {
        Cli r = train("--epochs", "1");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().startsWith("forward-forward (goodness rule): test accuracy 0."), r.out());
    }

    @Test
    void errorsNameTheOptionOrTheLayer() throws IOException {
        Cli backpropWithFfOption = Cli.run("train", "--spec", ffSpec.toString(), "--data", "sample", "--goodness", "mean");
        assertEquals(2, backpropWithFfOption.exitCode());
        assertTrue(backpropWithFfOption.err().contains("--goodness only applies to --algorithm forward-forward"), backpropWithFfOption.err());

        Cli badGoodness = train("--goodness", "max");
        assertEquals(2, badGoodness.exitCode());
        assertTrue(badGoodness.err().contains("--goodness: unknown goodness 'max'"), badGoodness.err());

        Cli badAlgorithm = Cli.run("train", "--algorithm", "hebbian", "--spec", ffSpec.toString());
        assertEquals(2, badAlgorithm.exitCode());
        assertTrue(badAlgorithm.err().contains("--algorithm: expected backprop or forward-forward but got 'hebbian'"), badAlgorithm.err());

        Path classifier = Files.writeString(dir.resolve("classifier.json"), TrainCommandTest.TINY_SPEC.replace(
                "{\"type\": \"dense\", \"units\": 10}", "{\"type\": \"dense\", \"units\": 10}, {\"type\": \"softmax\"}"));
        Cli r = Cli.run("train", "--algorithm", "forward-forward", "--spec", classifier.toString(), "--data", "sample");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("classifier.json: layers[3]: layer 3 'softmax_3' (softmax) cannot be trained with Forward-Forward"),
                r.err());
        assertTrue(r.err().contains("the stack needs no output layer"), r.err());
    }
}
