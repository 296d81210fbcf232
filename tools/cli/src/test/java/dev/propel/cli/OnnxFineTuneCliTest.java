package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code propel train --resume imported.onnx}: a model imported from PyTorch (no training record) is
 * fine-tuned as a new run from its weights with the defaults (its loss, Adam 0.001) or the optimizer and
 * loss of the command line, saves, and then resumes like any trained model. And {@code train --out x.onnx}
 * exports a plugin's layer through its hook (the writer gets the loaded plugins).
 */
class OnnxFineTuneCliTest {
    private static final Path FIXTURES = Path.of("../../formats/onnx/src/test/resources/fixtures");

    @TempDir
    Path dir;

    private Path imported(String fixture) throws IOException {
        return Files.copy(FIXTURES.resolve(fixture).resolve("model.onnx"), dir.resolve(fixture + ".onnx"));
    }

    @Test
    void anImportedMlpFineTunesWithTheDefaultsAndThenResumesLikeAnyTrainedModel() throws IOException {
        Path onnx = imported("torch-mlp-flat");
        Path tuned = dir.resolve("tuned.pb");
        Cli r = Cli.run("--threads", "1", "train", "--resume", onnx.toString(), "--data", "sample", "--epochs", "1",
                "--out", tuned.toString(), "--json");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("fine-tuning " + onnx + ": it holds no training record, so this is a new run from its weights"
                + " with loss cross_entropy (the file's; --loss to change) and optimizer adam, learning rate 0.001 (the defaults;"), r.err());
        assertEquals(1, TrainCommandTest.json(r).get("epochs").size(), r.out());
        JsonNode info = TrainCommandTest.json(Cli.run("inspect", tuned.toString(), "--json"));
        assertEquals(1, info.get("provenance").get("epochs").asInt(), info.toString());

        Cli resumed = Cli.run("--threads", "1", "train", "--resume", tuned.toString(), "--data", "sample", "--epochs", "2", "--json");
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertTrue(!resumed.err().contains("fine-tuning"), "a trained model resumes exactly: " + resumed.err());
        Cli refused = Cli.run("train", "--resume", tuned.toString(), "--data", "sample", "--epochs", "2", "--optimizer", "sgd");
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("--optimizer and --loss cannot be changed when resuming"), refused.err());
    }

    @Test
    void anImportedLstmFineTunesWithTheOptimizerAndLossOfTheCommandLine() throws IOException {
        Path onnx = imported("torch-lstm");
        Path tuned = dir.resolve("tuned-lstm.onnx");
        Cli r = Cli.run("--threads", "1", "train", "--resume", onnx.toString(), "--data", "sample", "--epochs", "1",
                "--optimizer", "sgd", "--learning-rate", "0.01", "--loss", "cross_entropy", "--batch-size", "64",
                "--out", tuned.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("with loss cross_entropy and optimizer sgd, learning rate 0.01"), r.err());
        Cli eval = Cli.run("eval", tuned.toString(), "--data", "sample", "--json");
        assertEquals(0, eval.exitCode(), eval.toString());
        Cli inspect = Cli.run("inspect", tuned.toString());
        assertTrue(inspect.out().contains("lstm"), inspect.out());
    }

    @Test
    void optimizerAndLossNeedAModelToFineTune() {
        Cli r = Cli.run("train", "--spec", "../../examples/mlp.json", "--data", "sample", "--epochs", "1", "--loss", "mse");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--optimizer and --loss apply to fine-tuning a model without a training record"), r.err());
    }

    @Test
    void trainingStraightToOnnxExportsAPluginLayerThroughItsHook() throws IOException {
        Path plugins = dir.resolve("plugins");
        PluginJars.pack(PluginJars.exampleClasses(), plugins.resolve("propel-example-plugin-1.0.0.jar"));
        Path spec = Files.writeString(dir.resolve("swish.json"), PluginDirectoryCliTest.EXAMPLE_SPEC);
        Path onnx = dir.resolve("swish.onnx");
        Cli r = Cli.run("--plugins", plugins.toString(), "--threads", "1", "train", "--spec", spec.toString(), "--data", "sample",
                "--epochs", "1", "--out", onnx.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(Files.size(onnx) > 4 * 784 * 24, "the weights are in " + onnx);
    }
}
