package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train --out / --resume, eval, predict, inspect, convert and compare, in-process on the bundled sample. */
class ModelCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path spec;
    static Path twoEpochs;
    static Path threeEpochs;

    @BeforeAll
    static void train() throws IOException {
        spec = Files.writeString(dir.resolve("tiny.json"), """
                {"input": [784], "layers": [{"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dropout", "rate": 0.1},
                  {"type": "dense", "units": 10}], "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "learning_rate": 0.003}}""");
        twoEpochs = dir.resolve("two.pb");
        threeEpochs = dir.resolve("three.pb");
        ok("--threads", "1", "train", "--spec", spec.toString(), "--data", "sample", "--epochs", "2", "--batch-size", "100",
                "--seed", "7", "--out", twoEpochs.toString());
        ok("--threads", "1", "train", "--spec", spec.toString(), "--data", "sample", "--epochs", "3", "--batch-size", "100",
                "--seed", "7", "--out", threeEpochs.toString());
    }

    static Cli ok(String... args) {
        Cli r = Cli.run(args);
        assertEquals(0, r.exitCode(), r.toString());
        return r;
    }

    /** One line on stderr starting "propel: error: ", exit code {@code code}. */
    static String fails(int code, String... args) {
        Cli r = Cli.run(args);
        assertEquals(code, r.exitCode(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.errLines().getFirst().startsWith("propel: error: "), r.toString());
        return r.errLines().getFirst();
    }

    @Test
    void resumingASavedRunEqualsTrainingStraightThrough() throws IOException {
        Path resumed = dir.resolve("resumed.pb");
        Cli r = ok("--threads", "2", "train", "--resume", twoEpochs.toString(), "--data", "sample", "--epochs", "3",
                "--out", resumed.toString());
        assertTrue(r.err().contains("saved the model to " + resumed), r.err());
        assertTrue(r.out().strip().matches("backprop: test accuracy 0\\.\\d{4} after 1 more epoch \\(\\d+\\.\\d s, 3 in total\\)"),
                r.out());
        JsonNode c = JSON.readTree(ok("compare", threeEpochs.toString(), resumed.toString(), "--data", "sample", "--json").out());
        assertEquals(0, c.get("structure").size(), c.toString());
        for (JsonNode t : c.get("tensors")) assertEquals(0, t.get("different_values").asLong(), t.toString());
        assertEquals(1.0, c.get("data").get("agreement").asDouble());
        String text = ok("inspect", resumed.toString()).out();
        assertTrue(text.contains("  epoch 3: train loss ") && text.contains(", test loss "), text);
        JsonNode info = JSON.readTree(ok("inspect", resumed.toString(), "--json").out());
        assertEquals(3, info.get("provenance").get("epochs").asInt());
        assertEquals(3, info.get("provenance").get("metrics").size());
    }

    @Test
    void resumingRefusesSettingsThatWouldChangeTheRun() {
        assertTrue(fails(2, "train", "--resume", twoEpochs.toString(), "--data", "sample", "--epochs", "3", "--seed", "1")
                .contains("--seed cannot be changed when resuming"));
        assertTrue(fails(2, "train", "--resume", twoEpochs.toString(), "--data", "sample", "--epochs", "2")
                .contains("was trained for 2 epochs; --epochs is the total to reach"));
        assertTrue(fails(2, "train", "--resume", twoEpochs.toString(), "--spec", spec.toString(), "--data", "sample")
                .contains("--spec and --resume exclude each other"));
        assertTrue(fails(2, "train", "--data", "sample").contains("--spec FILE (a JSON spec) or --resume MODEL"));
    }

    @Test
    void evalPrintsAccuracyAndLoss() throws IOException {
        JsonNode e = JSON.readTree(ok("eval", threeEpochs.toString(), "--data", "sample", "--json").out());
        assertTrue(e.get("accuracy").asDouble() > 0.5, e.toString());
        assertTrue(e.get("loss").asDouble() > 0, e.toString());
        assertEquals(1000, e.get("examples").asInt());
        assertTrue(ok("eval", threeEpochs.toString(), "--data", "sample").out().contains("accuracy 0."));
    }

    @Test
    void predictTakesACsvOrTheTestSplit() throws IOException {
        Cli fromData = ok("predict", threeEpochs.toString(), "--data", "sample", "--limit", "4");
        assertEquals(4, fromData.out().strip().split("\n").length, fromData.out());
        float[] zeros = new float[784];
        String row = Arrays.toString(zeros).replaceAll("[\\[\\]]", "");
        Path csv = Files.writeString(dir.resolve("x.csv"), "# two blank images\n" + row + "\n" + row + "\n");
        JsonNode p = JSON.readTree(ok("predict", threeEpochs.toString(), "--input", csv.toString(), "--json").out());
        assertEquals(2, p.get("predictions").size());
        assertEquals(10, p.get("outputs").get(0).size());
        Path bad = Files.writeString(dir.resolve("bad.csv"), "1, 2, 3\n");
        assertTrue(fails(1, "predict", threeEpochs.toString(), "--input", bad.toString())
                .contains("bad.csv line 1: 3 values but the model takes 784 per example"));
    }

    @Test
    void inspectShowsLayersShapesParametersAndProvenance() throws IOException {
        String text = ok("inspect", twoEpochs.toString()).out();
        assertTrue(text.contains("dense_0          dense        [16]                 12,560"), text);
        assertTrue(text.contains("parameters: 12,730 in 4 tensors"), text);
        assertTrue(text.contains("state saved"), text);
        assertTrue(text.contains("trained: backprop, 2 epochs, mini-batch, batch size 100, seed 7"), text);
        assertTrue(text.contains("plugin standard"), text);
        JsonNode j = JSON.readTree(ok("inspect", twoEpochs.toString(), "--json").out());
        assertEquals(4, j.get("layers").size());
        assertEquals(16, j.get("layers").get(0).get("attributes").get("units").asInt());
        assertEquals(12730, j.get("parameters").asLong());
        assertEquals("fashion-mnist-sample/train", j.get("provenance").get("dataset").get("name").asText());
    }

    @Test
    void convertToJsonAndBackGivesTheSameFile() throws IOException {
        Path json = dir.resolve("m.json");
        Path back = dir.resolve("back.pb");
        assertTrue(ok("convert", twoEpochs.toString(), json.toString()).out().contains("optimizer state included"));
        ok("convert", json.toString(), back.toString());
        assertArrayEquals(Files.readAllBytes(twoEpochs), Files.readAllBytes(back));
        assertTrue(Files.readString(json).contains("\"type\": \"dense\""));
        JsonNode e = JSON.readTree(ok("eval", json.toString(), "--data", "sample", "--json").out());
        assertTrue(e.get("accuracy").asDouble() > 0.5);
    }

    @Test
    void compareShowsStructureAndTensorDifferences() throws IOException {
        Path other = Files.writeString(dir.resolve("other.json"), """
                {"input": [784], "layers": [{"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dropout", "rate": 0.2},
                  {"type": "dense", "units": 10}], "loss": {"type": "cross_entropy"}, "optimizer": {"type": "sgd"}}""");
        Path otherModel = dir.resolve("other.pb");
        ok("--threads", "1", "train", "--spec", other.toString(), "--data", "sample", "--epochs", "1", "--batch-size", "100",
                "--out", otherModel.toString());
        JsonNode c = JSON.readTree(ok("compare", twoEpochs.toString(), otherModel.toString(), "--json").out());
        String structure = c.get("structure").toString();
        assertTrue(structure.contains("layer 2 'dropout_2': rate = 0.1 vs 0.2"), structure);
        assertTrue(structure.contains("optimizer adam vs sgd"), structure);
        assertTrue(c.get("tensors").get(0).get("different_values").asLong() > 0);
        String text = ok("compare", twoEpochs.toString(), otherModel.toString()).out();
        assertTrue(text.contains("structure: 2 differences"), text);
    }

    @Test
    void badFilesGiveOneLineErrors() throws IOException {
        assertTrue(fails(1, "inspect", dir.resolve("missing.pb").toString()).contains("missing.pb: no such model file"));
        byte[] good = Files.readAllBytes(twoEpochs);
        Path cut = Files.write(dir.resolve("cut.pb"), Arrays.copyOf(good, good.length / 2));
        assertTrue(fails(1, "eval", cut.toString(), "--data", "sample").contains("cut.pb: the file is truncated"));
        assertTrue(fails(1, "convert", twoEpochs.toString(), dir.resolve("m.h5").toString())
                .contains("cannot tell the model format of"));
        assertTrue(fails(1, "train", "--spec", spec.toString(), "--data", "sample", "--out", dir.resolve("no/such/dir/m.pb").toString())
                .contains("does not exist; create it first"));
        Path alien = Files.writeString(dir.resolve("alien.json"), Files.readString(dir.resolve("m.json").toFile().exists()
                ? dir.resolve("m.json") : writeJson()).replace("\"type\": \"relu\"", "\"type\": \"hyper_relu\""));
        String m = fails(1, "eval", alien.toString(), "--data", "sample");
        assertTrue(m.contains("layer 1 'relu_1' has type 'hyper_relu', which no installed plugin provides"), m);
    }

    private static Path writeJson() {
        Path json = dir.resolve("m.json");
        ok("convert", twoEpochs.toString(), json.toString());
        return json;
    }
}
