package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.propel.cli.ModelCommandsTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled images reach a model in the shape its spec declares: {@code [784]} rows become
 * {@code [1, 28, 28]} images (or {@code [28, 28]} sequences) for training, eval, predict and compare,
 * while a spec of another size is still refused.
 */
class ShapedInputCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void imagesAreFedInTheSpecsInputShape(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("image.json");
        Files.writeString(spec, """
                {"input": [1, 28, 28],
                 "layers": [{"type": "flatten"}, {"type": "dense", "units": 10}],
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "learning_rate": 0.005}}""");
        Path model = dir.resolve("image.pb");
        JsonNode trained = JSON.readTree(ok("--threads", "1", "train", "--spec", spec.toString(), "--data", "sample",
                "--epochs", "1", "--out", model.toString(), "--json").out());
        double accuracy = trained.get("epochs").get(0).get("test_accuracy").asDouble();
        assertTrue(accuracy > 0.5, "a linear model on [1, 28, 28] images learns the sample: " + accuracy);

        JsonNode eval = JSON.readTree(ok("eval", model.toString(), "--data", "sample", "--json").out());
        assertEquals(accuracy, eval.get("accuracy").asDouble(), 1e-12, "eval sees the same images as training");
        String predicted = ok("predict", model.toString(), "--data", "sample", "--limit", "3").out();
        assertTrue(!predicted.isBlank(), predicted);
        String compared = ok("compare", model.toString(), model.toString(), "--data", "sample").out();
        assertTrue(compared.contains("same class for 1,000 of 1,000"), compared);
    }

    @Test
    void aSpecOfAnotherSizeIsStillRefused(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("wrong.json");
        Files.writeString(spec, """
                {"input": [1, 27, 27],
                 "layers": [{"type": "flatten"}, {"type": "dense", "units": 10}],
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam"}}""");
        Cli r = Cli.run("train", "--spec", spec.toString(), "--data", "sample", "--epochs", "1");
        assertTrue(r.exitCode() != 0, r.toString());
        assertTrue(r.err().contains("[784]") && r.err().contains("729"), r.toString());
    }
}
