package dev.propel.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every CLI error is one line {@code propel: error: ...} on stderr, exit 2 for usage errors and 1 otherwise. */
class ErrorsTest {
    @TempDir
    static Path dir;
    static String tinySpec;

    @BeforeAll
    static void writeSpec() throws IOException {
        tinySpec = Files.writeString(dir.resolve("tiny.json"), TrainCommandTest.TINY_SPEC).toString();
    }

    /** Asserts the exit code, empty stdout, and exactly one stderr line: the error, containing each fragment. */
    static String oneLineError(Cli r, int exitCode, String... fragments) {
        assertEquals(exitCode, r.exitCode(), r.toString());
        assertEquals("", r.out(), r.toString());
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), "one line on stderr: " + r);
        String line = lines.getFirst();
        assertTrue(line.startsWith("propel: error: "), line);
        for (String f : fragments) assertTrue(line.contains(f), "'" + f + "' in: " + line);
        return line;
    }

    private static Path spec(String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name), json);
    }

    private static Cli train(String spec, String... more) {
        String[] args = new String[6 + more.length];
        System.arraycopy(new String[]{"train", "--spec", spec, "--data", "sample", "--threads=1"}, 0, args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        return Cli.run(args);
    }

    @Test
    void missingSpecFile() {
        String missing = dir.resolve("nope.json").toString();
        oneLineError(train(missing), 1, "propel: error: " + missing + ": no such file");
    }

    @Test
    void badJson() throws IOException {
        Path p = spec("bad.json", "{\"input\": [784], \"layers\": [\n  {\"type\": \"dense\" \"units\": 10}]}");
        oneLineError(train(p.toString()), 1, p + ": invalid JSON at line 2, column ");
    }

    @Test
    void unknownLayerType() throws IOException {
        Path p = spec("dnse.json", TrainCommandTest.TINY_SPEC.replace("\"type\": \"relu\"", "\"type\": \"rleu\""));
        oneLineError(train(p.toString()), 1, p + ": layers[1].type: unknown layer type 'rleu'; did you mean relu? known layer types: ", "relu",
                "Installed plugins: standard");
    }

    @Test
    void unknownTopLevelKey() throws IOException {
        Path p = spec("key.json", TrainCommandTest.TINY_SPEC.replace("\"loss\"", "\"losses\""));
        oneLineError(train(p.toString()), 1, p + ": losses: unknown key; valid top-level keys are input, layers, outputs, loss, optimizer");
    }

    @Test
    void unknownAttributeListsTheValidOnes() throws IOException {
        Path p = spec("unit.json", TrainCommandTest.TINY_SPEC.replace("\"units\": 16", "\"unit\": 16"));
        oneLineError(train(p.toString()), 1, p + ": layers[0].unit: unknown attribute 'unit' for type 'dense'; valid attributes are ",
                "units (an integer, required)");
    }

    @Test
    void badAttributeValueNamesItsPath() throws IOException {
        Path p = spec("units.json", TrainCommandTest.TINY_SPEC.replace("\"units\": 16", "\"units\": \"16\""));
        oneLineError(train(p.toString()), 1, p + ": layers[0].units: attribute 'units' must be an integer but got the string '16'");
        Path q = spec("lr.json", TrainCommandTest.TINY_SPEC.replace("0.005", "-1"));
        oneLineError(train(q.toString()), 1, q + ": optimizer.learning_rate: attribute 'learning_rate' must be ");
    }

    @Test
    void missingRequiredAttribute() throws IOException {
        Path p = spec("req.json", TrainCommandTest.TINY_SPEC.replace("{\"type\": \"dense\", \"units\": 16}", "{\"type\": \"dense\"}"));
        oneLineError(train(p.toString()), 1, p + ": layers[0] (dense): attribute 'units'", "is required");
    }

    @Test
    void unknownOptimizerAndLoss() throws IOException {
        Path p = spec("opt.json", TrainCommandTest.TINY_SPEC.replace("\"adam\"", "\"adamm\""));
        oneLineError(train(p.toString()), 1, p + ": optimizer.type: unknown optimizer type 'adamm'");
        Path q = spec("loss.json", TrainCommandTest.TINY_SPEC.replace("cross_entropy", "crossentropy"));
        oneLineError(train(q.toString()), 1, q + ": loss.type: unknown loss type 'crossentropy'");
    }

    @Test
    void inputShapeThatDoesNotFitTheData() throws IOException {
        Path p = spec("shape.json", TrainCommandTest.TINY_SPEC.replace("[784]", "[100]"));
        oneLineError(train(p.toString()), 1, p + ": input: the model takes [100] (100 values per example) but the examples of "
                + "'sample' have shape [784] (784 values); set \"input\": [784]");
    }

    @Test
    void outputSizeThatDoesNotFitTheClasses() throws IOException {
        Path p = spec("out.json", TrainCommandTest.TINY_SPEC.replace("\"units\": 10", "\"units\": 7"));
        oneLineError(train(p.toString()), 1, p + ": layers[2]: the last layer produces [7] but 'sample' has 10 classes; "
                + "make the last layer produce 10 values, e.g. {\"type\": \"dense\", \"units\": 10}");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        oneLineError(train(tinySpec, "--epochs", "abc"), 2, "Invalid value for option '--epochs': 'abc' is not an int",
                "see 'propel train --help'");
        oneLineError(train(tinySpec, "--epochs", "0"), 2, "--epochs must be at least 1, got 0");
        oneLineError(train(tinySpec, "--batch-size", "-4"), 2, "--batch-size must be at least 1, got -4");
        oneLineError(train(tinySpec, "--mode", "fast"), 2, "expected batch, mini-batch or stochastic but got 'fast'");
        oneLineError(train(tinySpec, "--lr-schedule", "step:x"), 2, "--lr-schedule: unknown learning-rate schedule 'step:x'");
        oneLineError(train(tinySpec, "--lr-schedule", "exponential"), 2, "--lr-schedule: unknown learning-rate schedule type 'exponential'; "
                + "known learning-rate schedule types: constant, cosine, linear, linear_half, step, warmup");
        oneLineError(train(tinySpec, "--lr-schedule", "cosine", "--lr-schedule-arg", "tmax=5"), 2,
                "--lr-schedule: schedule 'cosine': unknown attribute 'tmax'; valid attributes are t_max (an integer), eta_min (a number)");
        oneLineError(train(tinySpec, "--lr-schedule", "step", "--lr-schedule-arg", "gamma=0.5"), 2,
                "--lr-schedule: schedule 'step': attribute 'step_size' (an integer, steps between two decays) is required");
        oneLineError(train(tinySpec, "--lr-schedule", "cosine", "--lr-schedule-arg", "t_max"), 2,
                "--lr-schedule-arg: expected KEY=VALUE, e.g. t_max=20, but got 't_max'");
        oneLineError(train(tinySpec, "--lr-schedule", "step:3:0.5", "--lr-schedule-arg", "gamma=0.1"), 2,
                "--lr-schedule-arg goes with a schedule type id given to --lr-schedule");
        oneLineError(train(tinySpec, "--lr-schedule-per", "step"), 2, "--lr-schedule-per: a learning-rate schedule steps per 'epoch' or"
                + " per 'batch', not 'step'");
        oneLineError(train(tinySpec, "--lr-schedule", "{\"type\": \"warmup\", \"then\": 3}"), 2,
                "--lr-schedule: then: expected a schedule object such as {\"type\": \"cosine\", \"t_max\": 20} but found");
        oneLineError(train(tinySpec, "--lr-schedule", "{\"type\": \"cosine\", \"then\": {\"type\": \"constant\"}}"), 2,
                "schedule 'cosine' does not wrap another schedule, but 'constant' was given after it");
        oneLineError(train(tinySpec, "--validation-split", "1.5"), 2, "--validation-split must be a fraction between 0 and 1");
        oneLineError(train(tinySpec, "--early-stopping", "-1"), 2, "--early-stopping patience must be >= 0");
        oneLineError(train(tinySpec, "--clip-norm", "-1"), 2, "--clip-norm must be a number >= 0");
        oneLineError(train(tinySpec, "--lr", "0"), 2, "--learning-rate must be a number > 0");
        oneLineError(Cli.run("train", "--spec", tinySpec, "--threads", "0"), 2, "--threads must be at least 1, got 0");
        oneLineError(Cli.run("--threads", "-2", "plugins"), 2, "--threads must be at least 1, got -2", "see 'propel --help'");
    }

    @Test
    void unknownOptionsAndCommandsAreUsageErrors() {
        oneLineError(train(tinySpec, "--epoch", "3"), 2, "Unknown option", "--epoch");
        oneLineError(Cli.run("trainn"), 2, "'trainn'", "did you mean train");
        oneLineError(Cli.run("train", "--data", "sample"), 2, "give the model to train: --spec FILE (a JSON spec) or --resume MODEL");
        oneLineError(Cli.run(), 2, "no command given; use one of quickstart, train, eval, predict, inspect, convert, compare, trace, plugins");
    }

    @Test
    void missingDataDirectory() {
        String missing = dir.resolve("no-such-dir").toString();
        oneLineError(Cli.run("train", "--spec", tinySpec, "--data", missing), 1, "'" + missing + "'", "no such alias or directory");
    }

    @Test
    void dataDirectoryWithoutIdxFiles() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty-data"));
        oneLineError(Cli.run("train", "--spec", tinySpec, "--data", empty.toString()), 1, empty + " lacks train-images-idx3-ubyte");
    }

    @Test
    void verboseAddsTheStackTrace() {
        String missing = dir.resolve("nope.json").toString();
        Cli r = Cli.run("--verbose", "train", "--spec", missing);
        assertEquals(1, r.exitCode());
        assertTrue(r.errLines().getFirst().startsWith("propel: error: " + missing + ": no such file"), r.toString());
        assertTrue(r.err().contains("at dev.propel.cli.ModelSpecJson.read"), r.toString());
        Cli after = Cli.run("train", "--spec", missing, "--verbose");
        assertTrue(after.err().contains("at dev.propel.cli.ModelSpecJson.read"), "--verbose after the command: " + after);
    }
}
