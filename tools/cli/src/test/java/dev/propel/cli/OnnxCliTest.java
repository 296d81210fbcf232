package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.propel.cli.ModelCommandsTest.fails;
import static dev.propel.cli.ModelCommandsTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code convert} to and from .onnx, and {@code eval}, {@code predict}, {@code inspect}, {@code compare} on .onnx files directly. */
class OnnxCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path pb;
    static Path onnx;

    @BeforeAll
    static void trainAndExport() throws IOException {
        pb = TinyRun.in(dir, "tiny.pb").model();
        onnx = dir.resolve("tiny.onnx");
        String out = ok("convert", pb.toString(), onnx.toString()).out();
        assertTrue(out.contains("to " + onnx + " (onnx)") && out.contains("the optimizer state and training record stay behind"), out);
    }

    @Test
    void evalPredictInspectAndCompareReadOnnxFilesAsTheModelItCameFrom() throws IOException {
        JsonNode fromPb = JSON.readTree(ok("eval", pb.toString(), "--data", "sample", "--json").out());
        JsonNode fromOnnx = JSON.readTree(ok("eval", onnx.toString(), "--data", "sample", "--json").out());
        assertEquals(fromPb.get("accuracy"), fromOnnx.get("accuracy"));
        assertEquals(fromPb.get("loss"), fromOnnx.get("loss"));
        assertEquals(ok("predict", pb.toString(), "--data", "sample", "--limit", "5").out(),
                ok("predict", onnx.toString(), "--data", "sample", "--limit", "5").out());
        assertTrue(ok("inspect", onnx.toString()).out().contains("dense"));
        JsonNode c = JSON.readTree(ok("compare", pb.toString(), onnx.toString(), "--data", "sample", "--json").out());
        // The same layers; ONNX keeps only the attributes the operators need, and no optimizer.
        for (JsonNode d : c.get("structure")) {
            assertTrue(d.asText().contains("vs (none)") || d.asText().startsWith("optimizer"), d.asText());
        }
        for (JsonNode t : c.get("tensors")) assertEquals(0, t.get("different_values").asLong(), t.toString());
        assertEquals(1.0, c.get("data").get("agreement").asDouble());
    }

    @Test
    void convertingBackFromOnnxKeepsEveryWeight() throws IOException {
        Path back = dir.resolve("back.pb");
        ok("convert", onnx.toString(), back.toString());
        assertEquals(ok("predict", pb.toString(), "--data", "sample", "--limit", "5").out(),
                ok("predict", back.toString(), "--data", "sample", "--limit", "5").out());
        Path json = dir.resolve("back.json");
        ok("convert", onnx.toString(), json.toString());
        assertTrue(Files.readString(json).contains("\"dense\""));
    }

    @Test
    void externalDataIsWrittenBesideTheModelOnRequest() throws IOException {
        Path split = dir.resolve("split.onnx");
        ok("convert", pb.toString(), split.toString(), "--external-data", "1024");
        assertTrue(Files.size(dir.resolve("split.onnx.data")) >= 4 * 16 * 784, "the 16x784 weight is external");
        assertEquals(ok("predict", pb.toString(), "--data", "sample", "--limit", "5").out(),
                ok("predict", split.toString(), "--data", "sample", "--limit", "5").out());
        String refused = fails(1, "convert", pb.toString(), dir.resolve("x.json").toString(), "--external-data", "10");
        assertTrue(refused.contains("--external-data applies to .onnx files only"), refused);
        assertFalse(Files.exists(dir.resolve("x.json")));
    }
}
