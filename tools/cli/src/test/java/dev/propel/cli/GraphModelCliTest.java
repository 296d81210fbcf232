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
 * A graph model from the command line (SPI 2's "done when"): the residual MLP of examples/ trains on the
 * bundled sample, saves to .pb and .json, converts both ways byte-identically, and reloads to evaluate
 * to exactly the accuracy of its last epoch.
 */
class GraphModelCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path RESIDUAL = Path.of("../../examples/residual-mlp.json");

    @Test
    void theResidualMlpTrainsSavesConvertsAndReloads(@TempDir Path dir) throws IOException {
        Path pb = dir.resolve("residual.pb");
        Cli train = ok("--threads", "2", "train", "--spec", RESIDUAL.toString(), "--data", "sample", "--epochs", "2",
                "--batch-size", "64", "--seed", "3", "--out", pb.toString(), "--json");
        JsonNode result = JSON.readTree(train.out());
        JsonNode last = result.get("epochs").get(result.get("epochs").size() - 1);
        double lastAccuracy = last.get("test_accuracy").asDouble();
        assertTrue(lastAccuracy > 0.6, "accuracy after 2 epochs on the sample: " + lastAccuracy);

        Path json = dir.resolve("residual.json");
        Path back = dir.resolve("back.pb");
        Path jsonAgain = dir.resolve("again.json");
        ok("convert", pb.toString(), json.toString());
        ok("convert", json.toString(), back.toString());
        ok("convert", back.toString(), jsonAgain.toString());
        assertArrayEquals(Files.readAllBytes(pb), Files.readAllBytes(back), ".pb -> .json -> .pb is byte-identical");
        assertArrayEquals(Files.readAllBytes(json), Files.readAllBytes(jsonAgain), ".json -> .pb -> .json is byte-identical");
        JsonNode wiring = null;
        for (JsonNode node : JSON.readTree(json.toFile()).get("graph")) {
            if (node.get("name").asText().equals("block_add")) wiring = node.get("inputs");
        }
        assertEquals("[\"block_dense_2\",\"stem_relu\"]", String.valueOf(wiring), "the graph is in the file");

        for (Path model : new Path[]{pb, json}) {
            JsonNode eval = JSON.readTree(ok("eval", model.toString(), "--data", "sample", "--json").out());
            assertEquals(lastAccuracy, eval.get("accuracy").asDouble(), 1e-12, model + " evaluates as in its last epoch");
        }
        String inspect = ok("inspect", pb.toString()).out();
        assertTrue(inspect.contains("block_add"), inspect);
    }
}
