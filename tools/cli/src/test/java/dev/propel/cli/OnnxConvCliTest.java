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

/** A small trained convolutional network (cheap: it works on 14x14 and smaller planes) converts to .onnx, and eval, predict and convert read that file as the model it came from. */
class OnnxConvCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTrainedConvNetConvertsToOnnxAndEvaluatesTheSame(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("cnn.json");
        Files.writeString(spec, """
                {"input": [1, 28, 28],
                 "layers": [{"type": "conv2d", "out_channels": 4, "kernel_size": 2, "stride": 2, "bias": false},
                            {"type": "batch_norm"},
                            {"type": "relu"},
                            {"type": "max_pool2d", "kernel_size": 2},
                            {"type": "conv2d", "out_channels": 4, "kernel_size": 3, "padding": "same", "groups": 4},
                            {"type": "layer_norm", "axes": [0], "eps": 1e-6},
                            {"type": "layer_scale", "init": 0.5},
                            {"type": "avg_pool2d", "kernel_size": 3, "stride": 2, "padding": 1},
                            {"type": "global_avg_pool"},
                            {"type": "dense", "units": 10}],
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "learning_rate": 0.005}}""");
        Path pb = dir.resolve("cnn.pb");
        ok("--threads", "1", "train", "--spec", spec.toString(), "--data", "sample", "--epochs", "1", "--out", pb.toString());
        Path onnx = dir.resolve("cnn.onnx");
        ok("convert", pb.toString(), onnx.toString());

        JsonNode fromPb = JSON.readTree(ok("eval", pb.toString(), "--data", "sample", "--json").out());
        JsonNode fromOnnx = JSON.readTree(ok("eval", onnx.toString(), "--data", "sample", "--json").out());
        assertEquals(fromPb.get("accuracy"), fromOnnx.get("accuracy"));
        assertEquals(fromPb.get("loss"), fromOnnx.get("loss"), "the trained running statistics travel with the model");
        String predictions = ok("predict", pb.toString(), "--data", "sample", "--limit", "5").out();
        assertEquals(predictions, ok("predict", onnx.toString(), "--data", "sample", "--limit", "5").out());
        String summary = ok("inspect", onnx.toString()).out();
        for (String type : new String[] {"conv2d", "batch_norm", "max_pool2d", "layer_norm", "layer_scale", "avg_pool2d", "global_avg_pool"}) {
            assertTrue(summary.contains(type), type + " in: " + summary);
        }
        Path back = dir.resolve("back.pb");
        ok("convert", onnx.toString(), back.toString());
        assertEquals(predictions, ok("predict", back.toString(), "--data", "sample", "--limit", "5").out());
    }
}
