package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.propel.model.ModelFiles;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.propel.cli.ModelCommandsTest.fails;
import static dev.propel.cli.ModelCommandsTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code propel trace --algorithm forward-forward}: each layer's goodness, p(positive) and local loss of both
 * passes, consistent with each other and with the step's loss, and the parameters after N traced steps are
 * exactly those {@code train --algorithm forward-forward} reaches on the same N batches.
 */
class ForwardForwardTraceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEC = """
            {"input": [16], "layers": [{"type": "dense", "units": 8}, {"type": "relu"}, {"type": "dense", "units": 6}, {"type": "relu"}],
             "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "learning_rate": 0.01}}""";

    @TempDir
    Path dir;

    private Path data() throws IOException {
        return TraceCommandTest.tinyData(dir);
    }

    @Test
    void tracedStepsEndWithTheWeightsOfTrainAndTheFiguresAddUp() throws IOException {
        Path spec = Files.writeString(dir.resolve("ff.json"), SPEC);
        String data = data().toString();
        Path trained = dir.resolve("trained.json");
        ok("train", "--algorithm", "forward-forward", "--spec", spec.toString(), "--data", data, "--epochs", "2", "--batch-size", "8",
                "--seed", "5", "--out", trained.toString());
        JsonNode trace = JSON.readTree(ok("trace", "--algorithm", "forward-forward", "--spec", spec.toString(), "--data", data,
                "--batch-size", "8", "--steps", "10", "--seed", "5", "--json").out());
        assertEquals("forward-forward", trace.get("algorithm").asText());
        assertEquals(10, trace.get("steps").size(), "two shuffled epochs of 40 examples in batches of 8");
        Map<String, Tensor> expected = ModelFiles.read(trained).parameters();
        TraceCommandTest.assertBitwiseEqual(expected, trace.get("steps").get(9).get("parameters_after"));

        for (JsonNode step : trace.get("steps")) {
            double layerSum = 0;
            assertEquals(2, step.get("layers").size());
            for (JsonNode layer : step.get("layers")) {
                JsonNode pos = layer.get("positive");
                JsonNode neg = layer.get("negative");
                double theta = layer.get("threshold").asDouble();
                assertEquals(8, pos.get("goodness").size());
                for (int i = 0; i < 8; i++) {
                    double g = neg.get("goodness").get(i).asDouble();
                    assertEquals(1 / (1 + Math.exp(theta - g)), neg.get("p_positive").get(i).asDouble(), 1e-6, "p = σ(g − θ)");
                }
                assertEquals(layer.get("loss").asDouble(), pos.get("loss").asDouble() + neg.get("loss").asDouble(), 1e-5);
                layerSum += layer.get("loss").asDouble();
            }
            assertEquals(step.get("loss").asDouble(), layerSum, 1e-5, "the step's loss is the sum of the layers' local losses");
        }
        assertEquals(8.0, trace.get("steps").get(0).get("layers").get(0).get("threshold").asDouble(), "θ = 1 per unit × 8 units");
    }

    @Test
    void theTextShowsBothPassesPerLayer() throws IOException {
        Path spec = Files.writeString(dir.resolve("ff.json"), SPEC);
        String text = ok("trace", "--algorithm", "ff", "--spec", spec.toString(), "--data", data().toString(), "--batch-size", "4",
                "--steps", "2", "--digits", "3").out();
        assertTrue(text.contains("step 1: 4 positive examples (true label) and 4 negative ones"), text);
        assertTrue(text.contains("layer 1 (") && text.contains("p(positive)"), text);
        assertTrue(text.contains("local loss: positive pass "), text);
        assertTrue(text.contains("step 2:") && !text.contains("step 3:"), text);
        assertTrue(text.contains("dense_0.weight [8, 16]: "), text);
    }

    @Test
    void optionsThatDoNotFitAreRefused() throws IOException {
        Path spec = Files.writeString(dir.resolve("ff.json"), SPEC);
        assertTrue(fails(2, "trace", "--algorithm", "forward-forward", "--spec", spec.toString(), "--input", "1", "--target", "1")
                .contains("needs --data"));
        assertTrue(fails(2, "trace", "--spec", spec.toString(), "--data", "sample", "--goodness", "mean")
                .contains("--goodness only applies to --algorithm forward-forward"));
        assertTrue(fails(2, "trace", "--algorithm", "hebbian", "--spec", spec.toString(), "--data", "sample")
                .contains("expected backprop or forward-forward but got 'hebbian'"));
        assertTrue(fails(2, "trace", "--algorithm", "forward-forward", "--spec", spec.toString(), "--data", "sample", "--report",
                dir.resolve("r.html").toString()).contains("--report draws backprop networks"));
    }
}
