package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuickstartCommandTest {

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    void trainsTheExampleMlp() throws IOException {
        java.nio.file.Path saved = dir.resolve("quickstart.pb");
        Cli r = Cli.run("quickstart", "--data", "sample", "--epochs", "1", "--json", "--out", saved.toString());
        JsonNode root = TrainCommandTest.json(r);
        assertEquals("quickstart", root.get("command").textValue());
        assertEquals("examples/mlp.json", root.get("spec").textValue());
        assertEquals(784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10, root.get("parameters").longValue());
        assertEquals("adam", root.get("optimizer").textValue());
        assertEquals(0.001, root.get("learning_rate").doubleValue(), 1e-9);
        assertEquals(128, root.get("batch_size").intValue());
        assertEquals(1, root.get("epochs").size());
        assertTrue(root.get("test_accuracy").doubleValue() > 0.7, root.toString());
        assertTrue(r.err().contains("quickstart MLP 784-512-512-10: 669,706 parameters"), r.err());
        assertTrue(r.err().contains("saved the model to " + saved + "; look inside with: ./propel inspect " + saved), r.err());
        assertTrue(r.err().contains("(or convert it to JSON: ./propel convert " + saved + " " + dir.resolve("quickstart.json") + ")"),
                "the converted file goes next to the model, not into the current directory: " + r.err());
        assertTrue(Cli.run("inspect", saved.toString()).out().contains("parameters: 669,706 in 6 tensors"));

        JsonNode ff = root.get("forward_forward");
        assertEquals("examples/ff-small.json", ff.get("spec").textValue());
        assertEquals(784 * 500 + 500 + 500 * 500 + 500, ff.get("parameters").longValue());
        assertTrue(ff.get("test_accuracy").doubleValue() > 0.15, "above chance after one epoch on the sample: " + ff);
        java.nio.file.Path ffModel = dir.resolve("quickstart-ff.pb");
        assertEquals(ffModel.toString(), ff.get("model").textValue());
        assertTrue(java.nio.file.Files.readString(dir.resolve("quickstart-report.html")).contains("Confusion matrix: quickstart-ff.pb"));
        JsonNode eval = TrainCommandTest.json(Cli.run("eval", ffModel.toString(), "--data", "sample", "--json"));
        assertEquals(ff.get("test_accuracy").doubleValue(), eval.get("accuracy").doubleValue(), 0, "the saved FF model predicts as trained");
    }

    @Test
    void backpropOnly() throws IOException {
        java.nio.file.Path saved = dir.resolve("only.pb");
        JsonNode root = TrainCommandTest.json(Cli.run("quickstart", "--data", "sample", "--epochs", "1", "--json", "--out", saved.toString(),
                "--no-forward-forward"));
        assertTrue(!root.has("forward_forward"));
        assertTrue(!java.nio.file.Files.exists(dir.resolve("only-ff.pb")));
    }

    @Test
    void packagedForwardForwardSpecIsTheExampleFile() throws IOException {
        assertEquals(java.nio.file.Files.readString(ModelSpecJsonTest.EXAMPLE.resolveSibling("ff-small.json")),
                new String(QuickstartCommand.class.getResourceAsStream(QuickstartCommand.FF_SPEC_RESOURCE).readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void packagedSpecIsTheExampleFile() throws IOException {
        assertEquals(java.nio.file.Files.readString(ModelSpecJsonTest.EXAMPLE), QuickstartCommand.specText());
    }

    @Test
    void usesTheSampleWhenFashionMnistIsNotInstalled(@TempDir Path dir) {
        assertEquals("sample", DataLoader.quickstartSource(dir.resolve("not-installed")));
        assertEquals("fashion-mnist", DataLoader.quickstartSource(dir));
    }

    @Test
    void defaultsToThreeEpochs() {
        Cli r = Cli.run("quickstart", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("Epochs to train (default: 3)"), r.out());
    }
}
