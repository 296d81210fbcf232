package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.propel.cli.ModelCommandsTest.ok;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny convolutional network trains from the command line on the bundled sample images. */
class ConvNetCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTinyConvNetLearnsTheSample(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("cnn.json");
        Files.writeString(spec, """
                {"input": [1, 28, 28],
                 "layers": [{"type": "conv2d", "out_channels": 4, "kernel_size": 3},
                            {"type": "relu"},
                            {"type": "max_pool2d", "kernel_size": 2},
                            {"type": "flatten"},
                            {"type": "dense", "units": 10}],
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "learning_rate": 0.005}}""");
        Path model = dir.resolve("cnn.pb");
        JsonNode trained = JSON.readTree(ok("--threads", "1", "train", "--spec", spec.toString(), "--data", "sample",
                "--epochs", "1", "--out", model.toString(), "--json").out());
        double accuracy = trained.get("epochs").get(0).get("test_accuracy").asDouble();
        assertTrue(accuracy > 0.3, "ten classes: chance is 0.1, one epoch of the sample reaches well above: " + accuracy);
        String summary = ok("inspect", model.toString()).out();
        assertTrue(summary.contains("conv2d") && summary.contains("max_pool2d"), summary);
    }
}
