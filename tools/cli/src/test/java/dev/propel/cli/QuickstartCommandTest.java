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
        assertTrue(Cli.run("inspect", saved.toString()).out().contains("parameters: 669,706 in 6 tensors"));
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
