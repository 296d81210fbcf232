package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.propel.cli.ModelCommandsTest.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A graph model with layer state from the command line: the sample's [784] rows seen as [16, 7, 7] images
 * go through batch_norm → layer_norm over channels → layer_scale, a residual add, global_avg_pool and a
 * dense classifier. It trains, converts both ways byte-identically with its running statistics, and
 * {@code propel compare} against the MLP shows both architectures and training settings.
 */
class NormalizationCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEC = """
            {
              "input": [16, 7, 7],
              "layers": [
                {"type": "batch_norm", "name": "bn"},
                {"type": "layer_norm", "name": "ln", "axes": [0], "eps": 1e-6},
                {"type": "layer_scale", "name": "scale", "init": 0.1},
                {"type": "add", "name": "residual", "inputs": ["scale", "bn"]},
                {"type": "global_avg_pool", "name": "pool"},
                {"type": "dense", "name": "classifier", "units": 10}
              ],
              "loss": {"type": "cross_entropy"},
              "optimizer": {"type": "adam", "learning_rate": 0.01}
            }
            """;

    @Test
    void aNormalizedGraphModelTrainsConvertsAndCompares(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("norm.json");
        Files.writeString(spec, SPEC);
        Path pb = dir.resolve("norm.pb");
        JsonNode trained = JSON.readTree(ok("--threads", "1", "train", "--spec", spec.toString(), "--data", "sample", "--epochs", "1",
                "--batch-size", "64", "--seed", "2", "--out", pb.toString(), "--json").out());
        double accuracy = trained.get("epochs").get(0).get("test_accuracy").asDouble();
        assertTrue(accuracy > 0.2, "above chance after one epoch: " + accuracy);

        Path json = dir.resolve("norm-model.json");
        Path back = dir.resolve("back.pb");
        ok("convert", pb.toString(), json.toString());
        ok("convert", json.toString(), back.toString());
        assertArrayEquals(Files.readAllBytes(pb), Files.readAllBytes(back), ".pb -> .json -> .pb is byte-identical");
        String saved = Files.readString(json);
        assertTrue(saved.contains("bn.running_mean") && saved.contains("bn.running_var") && saved.contains("bn.num_batches_tracked"), saved);
        JsonNode eval = JSON.readTree(ok("eval", back.toString(), "--data", "sample", "--json").out());
        assertEquals(accuracy, eval.get("accuracy").asDouble(), 1e-12, "evaluates with its running statistics as in training");

        Path mlp = dir.resolve("mlp.pb");
        ok("--threads", "1", "train", "--spec", "../../examples/mlp-small.json", "--data", "sample", "--epochs", "1",
                "--batch-size", "64", "--out", mlp.toString());
        Path report = dir.resolve("cnn.html");
        String text = ok("compare", pb.toString(), mlp.toString(), "--data", "sample", "--report", report.toString()).out();
        assertTrue(text.lines().anyMatch(l -> l.startsWith("layers") && l.contains("6 (graph)")), text);
        assertTrue(text.contains("Training settings") && text.lines().anyMatch(l -> l.startsWith("batch size") && l.contains("64")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("optimizer") && l.contains("adam {") && l.contains("learning_rate=0.01,")), text);
        String html = Files.readString(report);
        for (String part : new String[]{"<h2>Training settings</h2>", "<h2>Architecture</h2>",
                "input [16, 7, 7]; 6 layers (graph)", "<td>residual</td><td>add</td><td>scale, bn</td><td>[16, 7, 7]</td>",
                "<td>pool</td><td>global_avg_pool</td><td>residual</td><td>[16]</td>", "<td>bn</td><td>batch_norm</td>"}) {
            assertTrue(html.contains(part), part + " missing from the report");
        }
        JsonNode compared = JSON.readTree(ok("compare", pb.toString(), mlp.toString(), "--data", "sample", "--json").out());
        JsonNode first = compared.get("comparison").get("models").get(0);
        assertEquals(6, first.get("architecture").get("layers").size());
        assertEquals(16 * 2 + 1, first.get("architecture").get("layers").get(0).get("state").asInt(), "running mean, var, batches");
        assertEquals("64", first.get("settings").get("batch size").asText());
    }
}
