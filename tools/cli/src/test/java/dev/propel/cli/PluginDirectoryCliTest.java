package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code propel --plugins DIR}: the example plugin, packed into a jar in a plugin directory (and
 * absent from the class path), is listed by {@code plugins}, trains and saves a model made of its
 * types, and the saved model reloads (eval, convert, resume); without the plugin, loading names the
 * missing plugin and type.
 */
class PluginDirectoryCliTest {
    static final String EXAMPLE_SPEC = """
            {"input": [784],
             "layers": [{"type": "dense", "units": 24}, {"type": "swish", "beta": 1.0}, {"type": "dense", "units": 10}],
             "loss": {"type": "huber", "delta": 1.0},
             "optimizer": {"type": "qhm", "learning_rate": 0.2, "nu": 0.7, "beta": 0.9}}""";

    @TempDir
    static Path dir;
    static Path plugins;
    static Path jar;
    static Path spec;

    @BeforeAll
    static void packTheExamplePlugin() throws IOException {
        plugins = dir.resolve("plugins");
        jar = PluginJars.pack(PluginJars.exampleClasses(), plugins.resolve("propel-example-plugin-1.0.0.jar"));
        spec = Files.writeString(dir.resolve("example.json"), EXAMPLE_SPEC);
    }

    @Test
    void pluginsListsTheDirectoryPluginWithItsTypesAndJar() {
        Cli r = Cli.run("--plugins", plugins.toString(), "plugins");
        assertEquals(0, r.exitCode(), r.toString());
        String out = r.out();
        assertTrue(out.contains("example 1.0.0 (SPI 2.2)\n  from:       " + jar + "\n  layers:     example_layer_norm, swish\n"
                + "  losses:     focal, huber\n  optimizers: lion, qhm\n"), out);
        assertTrue(out.contains("standard "), "the class path plugins are still there: " + out);
    }

    @Test
    void pluginsJsonNamesTheJar() throws IOException {
        Cli r = Cli.run("plugins", "--json", "--plugins", plugins.toString());
        JsonNode root = TrainCommandTest.json(r);
        JsonNode example = null;
        for (JsonNode p : root.get("plugins")) if (p.get("name").textValue().equals("example")) example = p;
        assertTrue(example != null, r.out());
        assertEquals(jar.toString(), example.get("location").textValue());
        assertEquals("[\"example_layer_norm\",\"swish\"]", example.get("layers").toString());
    }

    @Test
    void trainsAModelMadeOfThePluginsTypes() throws IOException {
        Cli r = Cli.run("--plugins", plugins.toString(), "--threads", "1", "train", "--spec", spec.toString(),
                "--data", "sample", "--epochs", "2", "--batch-size", "32", "--seed", "5", "--json");
        JsonNode epochs = TrainCommandTest.json(r).get("epochs");
        assertEquals(2, epochs.size(), r.out());
        double first = epochs.get(0).get("loss").doubleValue();
        double second = epochs.get(1).get("loss").doubleValue();
        assertTrue(Double.isFinite(first) && second < first, "the Huber loss falls: " + first + " then " + second);
        assertTrue(epochs.get(1).get("test_accuracy").doubleValue() > 0.3, r.out());
    }

    @Test
    void aModelOfThePluginsTypesIsSavedAndReloads() throws IOException {
        Path model = dir.resolve("swish.pb");
        Cli train = Cli.run("--plugins", plugins.toString(), "--threads", "1", "train", "--spec", spec.toString(),
                "--data", "sample", "--epochs", "2", "--batch-size", "32", "--seed", "7", "--out", model.toString(), "--json");
        JsonNode last = TrainCommandTest.json(train).get("epochs").get(1);
        assertTrue(Files.isRegularFile(model), train.toString());

        Cli eval = Cli.run("--plugins", plugins.toString(), "eval", model.toString(), "--data", "sample", "--json");
        JsonNode measured = TrainCommandTest.json(eval);
        assertEquals(last.get("test_accuracy").doubleValue(), measured.get("accuracy").doubleValue(), 1e-9, eval.out());
        assertEquals(last.get("test_loss").doubleValue(), measured.get("loss").doubleValue(), 1e-6, eval.out());

        Path json = dir.resolve("swish.json");
        Cli convert = Cli.run("--plugins", plugins.toString(), "convert", model.toString(), json.toString());
        assertEquals(0, convert.exitCode(), convert.toString());
        JsonNode fromJson = TrainCommandTest.json(Cli.run("--plugins", plugins.toString(), "eval", json.toString(),
                "--data", "sample", "--json"));
        assertEquals(measured.get("accuracy").doubleValue(), fromJson.get("accuracy").doubleValue(), 0.0);

        Cli inspect = Cli.run("--plugins", plugins.toString(), "inspect", model.toString());
        assertEquals(0, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.out().contains("example 1.0.0") && inspect.out().contains("swish"), inspect.out());

        // The saved QHM state lets training continue from the file.
        Cli resume = Cli.run("--plugins", plugins.toString(), "--threads", "1", "train", "--resume", model.toString(),
                "--data", "sample", "--epochs", "3", "--json");
        JsonNode resumed = TrainCommandTest.json(resume).get("epochs");
        assertEquals(3, resumed.get(resumed.size() - 1).get("epoch").intValue(), resume.out());
    }

    @Test
    void loadingAModelWithoutItsPluginNamesThePluginAndTheType() {
        Path model = dir.resolve("needs-example.pb");
        Cli train = Cli.run("--plugins", plugins.toString(), "--threads", "1", "train", "--spec", spec.toString(),
                "--data", "sample", "--epochs", "1", "--out", model.toString());
        assertEquals(0, train.exitCode(), train.toString());
        Cli eval = Cli.run("eval", model.toString(), "--data", "sample");
        assertEquals(Main.FAILURE, eval.exitCode(), eval.toString());
        String error = eval.errLines().getFirst();
        assertTrue(error.contains("has type 'swish', which no installed plugin provides")
                && error.contains("plugin 'example' 1.0.0 provided it") && error.contains("--plugins"), error);
    }

    @Test
    void withoutThePluginDirectoryTheSpecNamesTheMissingType() {
        Cli r = Cli.run("train", "--spec", spec.toString(), "--data", "sample", "--epochs", "1");
        assertEquals(Main.FAILURE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("'swish'") && r.err().contains("plugin"), r.err());
    }

    @Test
    void aMissingPluginDirectoryIsAnError() {
        Path missing = dir.resolve("no-such-dir");
        Cli r = Cli.run("--plugins", missing.toString(), "plugins");
        assertEquals(Main.FAILURE, r.exitCode(), r.toString());
        assertEquals("propel: error: plugin directory '" + missing + "' does not exist; give a directory that holds plugin jars"
                + " (or one folder of jars per plugin)", r.errLines().getFirst());
    }
}
