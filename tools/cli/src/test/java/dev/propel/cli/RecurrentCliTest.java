package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.propel.cli.ModelCommandsTest.fails;
import static dev.propel.cli.ModelCommandsTest.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recurrent models from the command line: Fashion-MNIST images read as 28 rows of 28 pixels (the CLI feeds
 * the [784] data to a model whose input is [28, 28]). A small LSTM and GRU each train one epoch on the
 * bundled sample to well above chance, save, convert .pb ↔ .json byte-identically, evaluate as in their last
 * epoch, and go through {@code propel compare} together. The examples' specs build with PyTorch's names.
 */
class RecurrentCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path smallSpec(Path dir, String type) throws IOException {
        Path spec = dir.resolve(type + ".json");
        Files.writeString(spec, """
                {
                  "input": [28, 28],
                  "layers": [
                    {"type": "%s", "name": "%s", "hidden_size": 24},
                    {"type": "dense", "name": "classifier", "units": 10}
                  ],
                  "loss": {"type": "cross_entropy"},
                  "optimizer": {"type": "adam", "learning_rate": 0.01}
                }
                """.formatted(type, type));
        return spec;
    }

    private static double trainOneEpoch(Path spec, Path out) throws IOException {
        JsonNode result = JSON.readTree(ok("--threads", "2", "train", "--spec", spec.toString(), "--data", "sample",
                "--epochs", "1", "--batch-size", "64", "--seed", "3", "--out", out.toString(), "--json").out());
        return result.get("epochs").get(0).get("test_accuracy").asDouble();
    }

    @Test
    void smallLstmAndGruTrainOnRowSequencesSaveConvertAndCompare(@TempDir Path dir) throws IOException {
        Path lstm = dir.resolve("lstm.pb");
        Path gru = dir.resolve("gru.pb");
        double lstmAccuracy = trainOneEpoch(smallSpec(dir, "lstm"), lstm);
        double gruAccuracy = trainOneEpoch(smallSpec(dir, "gru"), gru);
        assertTrue(lstmAccuracy > 0.4, "LSTM test accuracy after 1 epoch on the sample (chance 0.1): " + lstmAccuracy);
        assertTrue(gruAccuracy > 0.4, "GRU test accuracy after 1 epoch on the sample (chance 0.1): " + gruAccuracy);

        Path json = dir.resolve("lstm-model.json");
        Path back = dir.resolve("back.pb");
        ok("convert", lstm.toString(), json.toString());
        ok("convert", json.toString(), back.toString());
        assertArrayEquals(Files.readAllBytes(lstm), Files.readAllBytes(back), ".pb -> .json -> .pb is byte-identical");
        JsonNode eval = JSON.readTree(ok("eval", json.toString(), "--data", "sample", "--json").out());
        assertEquals(lstmAccuracy, eval.get("accuracy").asDouble(), 1e-12, "the converted model evaluates as in its last epoch");

        JsonNode comparison = JSON.readTree(ok("--threads", "1", "compare", lstm.toString(), gru.toString(), "--data", "sample",
                "--json").out());
        JsonNode models = comparison.has("comparison") ? comparison.get("comparison").get("models") : comparison.get("models");
        assertEquals(2, models.size(), comparison.toString());
        String text = ok("--threads", "1", "compare", lstm.toString(), gru.toString(), "--data", "sample").out();
        assertTrue(text.contains("Comparison on sample"), text);
    }

    /** {@code --data adding:10}: a small GRU learns the sum of the two marked values far below the baseline MSE 1/6. */
    @Test
    void aSmallGruLearnsTheAddingProblem(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("gru-adding.json");
        Files.writeString(spec, """
                {"input": [10, 2], "layers": [{"type": "gru", "hidden_size": 16}, {"type": "dense", "units": 1}],
                 "loss": {"type": "mse"}, "optimizer": {"type": "adam", "learning_rate": 0.01}}
                """);
        JsonNode result = JSON.readTree(ok("--threads", "2", "train", "--spec", spec.toString(), "--data", "adding:10",
                "--epochs", "1", "--batch-size", "64", "--seed", "3", "--json").out());
        assertEquals(10_000, result.get("train_examples").asInt());
        double testLoss = result.get("test_loss").asDouble();
        assertTrue(testLoss < 0.05, "test MSE after 1 epoch (baseline 0.167): " + testLoss);
    }

    /** {@code --bptt-steps K} sets bptt_steps on the recurrent layers, which the saved model keeps; bad uses are refused. */
    @Test
    void bpttStepsTruncatesTheRecurrentLayersAndIsSaved(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("lstm-adding.json");
        Files.writeString(spec, """
                {"input": [10, 2], "layers": [{"type": "lstm", "hidden_size": 8}, {"type": "dense", "units": 1}],
                 "loss": {"type": "mse"}, "optimizer": {"type": "adam", "learning_rate": 0.01}}
                """);
        Path model = dir.resolve("truncated.pb");
        ok("--threads", "1", "train", "--spec", spec.toString(), "--data", "adding:10", "--epochs", "1", "--batch-size", "256",
                "--bptt-steps", "4", "--out", model.toString());
        Path json = dir.resolve("truncated.json");
        ok("convert", model.toString(), json.toString());
        String saved = Files.readString(json);
        assertTrue(saved.matches("(?s).*\"bptt_steps\"\\s*:\\s*4\\b.*"), saved);

        assertTrue(fails(2, "train", "--spec", spec.toString(), "--data", "adding:10", "--bptt-steps", "0")
                .contains("--bptt-steps must be at least 1"));
        Path mlp = dir.resolve("mlp.json");
        Files.writeString(mlp, """
                {"input": [20], "layers": [{"type": "dense", "units": 1}], "loss": {"type": "mse"}}
                """);
        assertTrue(fails(2, "train", "--spec", mlp.toString(), "--data", "adding:10", "--bptt-steps", "3")
                .contains("has none"));
        assertTrue(fails(2, "train", "--resume", model.toString(), "--data", "adding:10", "--bptt-steps", "3")
                .contains("--bptt-steps cannot be changed when resuming"));
    }

    @Test
    void theAddingExamplesBuild() {
        try (Propel propel = Propel.builder().threads(1).build()) {
            for (String type : List.of("rnn", "lstm", "gru")) {
                Model model = propel.build(ModelSpecJson.read(Path.of("../../examples/" + type + "-adding.json")), 1);
                assertArrayEquals(new int[] {100, 2}, model.inputShape().dims(), type);
                assertArrayEquals(new int[] {1}, model.outputShape().dims(), type);
            }
        }
    }

    /** {@code bench train --spec}: the recurrent examples are timed like the MLP (here a small one, briefly). */
    @Test
    void benchTrainTimesARecurrentSpec(@TempDir Path dir) throws IOException {
        Path spec = smallSpec(dir, "lstm");
        JsonNode bench = JSON.readTree(ok("--threads", "1", "bench", "train", "--spec", spec.toString(), "--data", "synthetic",
                "--samples", "256", "--epochs", "1", "--warmup-epochs", "0", "--json").out());
        assertEquals(spec.toString(), bench.get("network").asText());
        assertEquals(256, bench.get("samples").asInt());
        assertTrue(bench.get("samples_per_second").asDouble() > 0, bench.toString());
        assertTrue(fails(2, "bench", "train", "--spec", spec.toString(), "--unfused").contains("--unfused applies to the MLP"));
    }

    @Test
    void theRowSequentialExamplesBuildWithPyTorchsParameterNames() {
        try (Propel propel = Propel.builder().threads(1).build()) {
            for (String type : List.of("rnn", "lstm", "gru")) {
                ModelSpec spec = ModelSpecJson.read(Path.of("../../examples/" + type + "-fmnist.json"));
                Model model = propel.build(spec, 1);
                int gates = switch (type) {
                    case "lstm" -> 4;
                    case "gru" -> 3;
                    default -> 1;
                };
                assertArrayEquals(new int[] {gates * 128, 28}, model.parameters().get(type + ".weight_ih_l0").shape().dims(), type);
                assertArrayEquals(new int[] {gates * 128, 128}, model.parameters().get(type + ".weight_hh_l0").shape().dims(), type);
                assertArrayEquals(new int[] {10}, model.outputShape().dims(), type);
            }
        }
    }

    @Test
    void aSequenceLayerOnAFlatInputIsRefusedWithTheShapeToUse(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("flat.json");
        Files.writeString(spec, """
                {"input": [784], "layers": [{"type": "lstm", "hidden_size": 8}, {"type": "dense", "units": 10}],
                 "loss": {"type": "cross_entropy"}}
                """);
        String error = fails(1, "train", "--spec", spec.toString(), "--data", "sample", "--epochs", "1");
        assertTrue(error.contains("[time_steps, features]") && error.contains("[784]"), error);
    }
}
