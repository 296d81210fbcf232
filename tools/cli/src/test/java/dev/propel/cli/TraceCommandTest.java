package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.propel.cli.ModelCommandsTest.fails;
import static dev.propel.cli.ModelCommandsTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** propel trace and --init-weights: the textbook numbers, equality with train, a gradient check, the outputs and the errors. */
class TraceCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SPEC = "../../examples/textbook-2-2-2.json";
    static final String WEIGHTS = "../../examples/textbook-2-2-2-weights.json";
    /** Initial values for part of the tiny 16-8-2 model (the rest comes from its seed). */
    private static final String WEIGHTS_16 = "src/test/resources/tiny-16-8-2-bias.json";
    private static final String[] TEXTBOOK = {"trace", "--spec", SPEC, "--init-weights", WEIGHTS, "--input", "0.1,0.2",
            "--target", "0.05,0.95"};

    @TempDir
    Path dir;

    /** A tiny IDX dataset (4×4 images, 40 training and 20 test examples) in {@code dir}. */
    private Path tinyData() throws IOException {
        return tinyData(dir);
    }

    /** The same tiny IDX dataset in {@code dir} (also used by {@link ForwardForwardTraceTest}). */
    static Path tinyData(Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("idx"));
        TrainCommandTest.writeIdx(data, "train", 40, 11);
        TrainCommandTest.writeIdx(data, "t10k", 20, 12);
        return data;
    }

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static JsonNode json(String... args) throws IOException {
        return JSON.readTree(ok(args).out());
    }

    /** The value cut (not rounded) to 5 decimals, as the source text prints its numbers. */
    private static double truncated(double v) {
        return Math.floor(v * 1e5) / 1e5;
    }

    /**
     * The source text's printed numbers (seed 002: outputs 0.73492 / 0.77955 of the forward pass before the update,
     * new w5..w8 0.45187 / 0.55073 / 0.71056 / 0.81081, cut to 5 decimals) and the hand computation of
     * src/test/resources/textbook-2-2-2.py for the rest.
     */
    @Test
    void reproducesTheTextbookExample() throws IOException {
        JsonNode step = json(with(TEXTBOOK, "--json")).get("steps").get(0);
        JsonNode out = step.get("outputs").get(0);
        assertEquals(0.73492, truncated(out.get(0).asDouble()), 1e-9, out.toString());
        assertEquals(0.77955, truncated(out.get(1).asDouble()), 1e-9, out.toString());
        JsonNode w = step.get("parameters_after").get("output.weight");
        double[] printed = {0.45187, 0.55073, 0.71056, 0.81081};
        for (int k = 0; k < 4; k++) assertEquals(printed[k], truncated(w.get(k / 2).get(k % 2).asDouble()), 1e-9, "w" + (k + 5) + " " + w);

        assertClose(step.get("loss"), 0.24908954146037615);
        JsonNode hidden = step.get("layers").get(0);
        assertEquals("hidden", hidden.get("name").asText());
        assertClose(hidden.get("pre_activation").get(0), 0.41, 0.47);
        assertClose(hidden.get("delta").get(0), 0.011080579599813645, 0.013402398843400632);
        JsonNode sigmoid = step.get("layers").get(1);
        assertClose(sigmoid.get("output").get(0), 0.6010878788483698, 0.6153837563911821);
        JsonNode output = step.get("layers").get(2);
        assertClose(output.get("pre_activation").get(0), 1.0197741932588942, 1.2630685203068044);
        assertClose(output.get("delta").get(0), 0.133429947792031, -0.029291101232798013);
        assertClose(step.get("layers").get(3).get("grad_output").get(0), 0.7349286127170142 - 0.05, 0.7795538841677558 - 0.95);
        JsonNode after = step.get("parameters_after");
        assertClose(after.get("output.weight").get(0), 0.4518781254241036, 0.5507336265075964);
        assertClose(after.get("output.weight").get(1), 0.7105639155454933, 0.8108151607432842);
        assertClose(after.get("output.bias"), 0.2699420313247814, 0.36757466073967876);
        assertClose(after.get("hidden.weight").get(0), 0.09933516522401119, 0.19867033044802238);
        assertClose(after.get("hidden.weight").get(1), 0.29919585606939597, 0.39839171213879193);
        assertClose(after.get("hidden.bias"), 0.3533516522401118, 0.3519585606939596);
    }

    private static void assertClose(JsonNode actual, double... expected) {
        if (expected.length == 1 && actual.isNumber()) {
            assertEquals(expected[0], actual.asDouble(), 2e-6, actual.toString());
            return;
        }
        assertEquals(expected.length, actual.size(), actual.toString());
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual.get(i).asDouble(), 2e-6, actual.toString());
    }

    @Test
    void textIsLaidOutLikeAWorkedExample() {
        String out = ok(TEXTBOOK).out();
        for (String expected : List.of("hidden (dense 'hidden' + sigmoid 'hidden_sigmoid')", "net            h1 = 0.41000  h2 = 0.47000",
                "out            o1 = 0.73493  o2 = 0.77955", "δ = ∂L/∂net    o1 = 0.13343  o2 = -0.02929", "w(h1→o1)       0.50000 → 0.45188",
                "w(i2→h1)       = 0.00222", "loss (mse) = 0.24909")) {
            assertTrue(out.contains(expected), expected + "\n" + out);
        }
        assertTrue(ok(with(TEXTBOOK, "--digits", "3")).out().contains("o1 = 0.735  o2 = 0.780"));
    }

    @Test
    void jsonHasTheIssuesSchemaForEveryStep() throws IOException {
        JsonNode root = json(with(TEXTBOOK, "--steps", "3", "--json"));
        assertEquals(3, root.get("steps").size());
        assertEquals(List.of("hidden.weight", "hidden.bias", "output.weight", "output.bias"), fieldNames(root.get("initial_parameters")));
        for (JsonNode step : root.get("steps")) {
            for (String key : List.of("step", "loss", "outputs", "layers", "parameters_after", "optimizer_state")) {
                assertTrue(step.has(key), key + " in " + step);
            }
            assertEquals(4, step.get("layers").size());
            for (JsonNode layer : step.get("layers")) {
                for (String key : List.of("name", "type", "input", "pre_activation", "output", "delta", "grad_output", "gradients")) {
                    assertTrue(layer.has(key), key + " in " + layer);
                }
            }
            assertEquals(List.of("weight", "bias"), fieldNames(step.get("layers").get(0).get("gradients")));
        }
        // Each step starts from the weights the previous one left (net = W·x + b with step 1's new values), and the loss falls.
        JsonNode steps = root.get("steps");
        assertTrue(steps.get(2).get("loss").asDouble() < steps.get(0).get("loss").asDouble());
        JsonNode w = steps.get(0).get("parameters_after").get("hidden.weight");
        JsonNode b = steps.get(0).get("parameters_after").get("hidden.bias");
        for (int j = 0; j < 2; j++) {
            double net = w.get(j).get(0).asDouble() * 0.1 + w.get(j).get(1).asDouble() * 0.2 + b.get(j).asDouble();
            assertEquals(net, steps.get(1).get("layers").get(0).get("pre_activation").get(0).get(j).asDouble(), 1e-6);
        }
    }

    @Test
    void anotherOptimizerShowsItsStateAfterEachStep() throws IOException {
        JsonNode root = json(with(TEXTBOOK, "--optimizer", "adam", "--lr", "0.01", "--json"));
        assertEquals("adam", root.get("optimizer").asText());
        JsonNode step = root.get("steps").get(0);
        assertEquals(0.01, step.get("learning_rate").asDouble(), 1e-9);
        List<String> slots = fieldNames(step.get("optimizer_state"));
        assertTrue(slots.contains("output.weight/m") && slots.contains("output.weight/v"), slots.toString());
        // Adam's first step moves every weight by about the learning rate, against its gradient's sign.
        double w5 = step.get("parameters_after").get("output.weight").get(0).get(0).asDouble();
        assertEquals(0.5 - 0.01, w5, 1e-4);
        assertTrue(ok(with(TEXTBOOK, "--optimizer", "adam")).out().contains("optimizer state output.weight/m = ["));
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The numbers a trace shows are the trainer's: N traced steps end where `train` ends after the same N batches. */
    @Test
    void tracedStepsEndWithTheWeightsOfTrainOnTheSameBatches() throws IOException {
        Path spec = Files.writeString(dir.resolve("tiny.json"), """
                {"input": [16], "layers": [{"type": "dense", "units": 8}, {"type": "tanh"}, {"type": "dense", "units": 2}],
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "learning_rate": 0.01}}""");
        String data = tinyData().toString();
        Path trained = dir.resolve("trained.json");
        ok("train", "--spec", spec.toString(), "--data", data, "--epochs", "2", "--batch-size", "8", "--seed", "5",
                "--init-weights", WEIGHTS_16, "--out", trained.toString());
        JsonNode trace = json("trace", "--spec", spec.toString(), "--data", data, "--batch-size", "8", "--steps", "10", "--seed", "5",
                "--init-weights", WEIGHTS_16, "--json");
        assertEquals(10, trace.get("steps").size(), "two shuffled epochs of 40 examples in batches of 8");
        JsonNode last = trace.get("steps").get(9);
        Map<String, Tensor> expected = ModelFiles.read(trained).parameters();
        assertEquals(expected.keySet().stream().toList(), fieldNames(last.get("parameters_after")));
        assertBitwiseEqual(expected, last.get("parameters_after"));
        assertTrue(last.get("optimizer_state").has("dense_0.weight/m"), last.get("optimizer_state").fieldNames().next());
    }

    /** The traced parameter gradients agree with central differences of the loss, for a batch of two examples. */
    @Test
    void tracedGradientsPassAFiniteDifferenceCheck() throws IOException {
        Path spec = Files.writeString(dir.resolve("small.json"), """
                {"input": [3], "layers": [{"type": "dense", "units": 4}, {"type": "tanh"}, {"type": "dense", "units": 2},
                 {"type": "sigmoid"}], "loss": {"type": "mse"}, "optimizer": {"type": "sgd", "learning_rate": 0.5}}""");
        String input = "0.3,-0.8,0.5;1.1,0.2,-0.4";
        String target = "0.1,0.9;0.7,0.2";
        JsonNode root = json("trace", "--spec", spec.toString(), "--input", input, "--target", target, "--seed", "9", "--json");
        try (Propel propel = Propel.create()) {
            Model model = propel.build(ModelSpecJson.read(spec), 9);
            Tensor x = Tensor.of(new float[] {0.3f, -0.8f, 0.5f, 1.1f, 0.2f, -0.4f}, 2, 3);
            Tensor t = Tensor.of(new float[] {0.1f, 0.9f, 0.7f, 0.2f}, 2, 2);
            JsonNode step = root.get("steps").get(0);
            int checked = 0;
            for (JsonNode layer : step.get("layers")) {
                for (String local : fieldNames(layer.get("gradients"))) {
                    String name = layer.get("name").asText() + "." + local;
                    Tensor p = model.parameters().get(name);
                    float[] start = flatten(root.get("initial_parameters").get(name));
                    assertEquals(p.size(), start.length, name);
                    float[] traced = flatten(layer.get("gradients").get(local));
                    for (int i = 0; i < p.size(); i++) {
                        float saved = p.data()[i];
                        double eps = 1e-2;
                        p.data()[i] = (float) (saved + eps);
                        double up = model.loss().compute(model.predict(x), t, null, model.kernels());
                        p.data()[i] = (float) (saved - eps);
                        double down = model.loss().compute(model.predict(x), t, null, model.kernels());
                        p.data()[i] = saved;
                        double numeric = (up - down) / (2 * eps);
                        assertEquals(numeric, traced[i], 2e-4 + 1e-2 * Math.abs(numeric), name + "[" + i + "]");
                        checked++;
                    }
                }
            }
            assertEquals(4 * 3 + 4 + 2 * 4 + 2, checked);
        }
    }

    /** Every tensor of {@code expected} equals the nested lists of the same name in {@code actual}, bit for bit. */
    static void assertBitwiseEqual(Map<String, Tensor> expected, JsonNode actual) {
        expected.forEach((name, t) -> {
            float[] flat = flatten(actual.get(name));
            assertEquals(t.size(), flat.length, name);
            for (int i = 0; i < t.size(); i++) assertEquals(t.data()[i], flat[i], 0f, name + "[" + i + "]");
        });
    }

    private static float[] flatten(JsonNode nested) {
        List<Float> values = new ArrayList<>();
        flattenInto(nested, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    private static void flattenInto(JsonNode n, List<Float> out) {
        if (n.isArray()) {
            n.forEach(c -> flattenInto(c, out));
        } else {
            out.add(n.floatValue());
        }
    }

    @Test
    void reportDrawsTheNetworkOfEveryStepInOneFile() throws IOException {
        Path report = dir.resolve("trace.html");
        Cli r = ok(with(TEXTBOOK, "--steps", "2", "--report", report.toString()));
        assertTrue(r.err().contains("wrote the trace report to " + report), r.toString());
        String html = Files.readString(report);
        assertEquals(2, html.split("<svg ", -1).length - 1, "one drawing per step");
        for (String expected : List.of("w(h1→o1)", ">0.45188<", ">h1<", "δ 0.13343", "target 0.05000", "b 0.35000 → 0.26994")) {
            assertTrue(html.contains(expected), expected);
        }
        assertFalse(html.contains("src=\"http") || html.contains("href=\"http"), "self-contained");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("trace.html"), files.map(p -> p.getFileName().toString()).filter(n -> n.contains("trace")).toList());
        }
    }

    @Test
    void compareDescentRunsTheThreeVariantsForTheSameUpdates() throws IOException {
        Path spec = Files.writeString(dir.resolve("tiny.json"), """
                {"input": [16], "layers": [{"type": "dense", "units": 8}, {"type": "relu"}, {"type": "dense", "units": 2}],
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "sgd", "learning_rate": 0.05}}""");
        String data = tinyData().toString();
        Path report = dir.resolve("descent.html");
        Cli r = ok("trace", "--spec", spec.toString(), "--data", data, "--compare-descent", "batch,stochastic,mini-batch:10",
                "--steps", "7", "--eval-examples", "10", "--report", report.toString());
        assertTrue(r.out().contains("mini-batch:10 (10 examples per update)"), r.out());
        JsonNode root = json("trace", "--spec", spec.toString(), "--data", data, "--compare-descent", "batch,stochastic,mini-batch:10",
                "--steps", "7", "--eval-examples", "10", "--json");
        assertEquals(3, root.get("variants").size());
        assertEquals(10, root.get("eval_examples").asInt());
        long[] seen = {40 * 7, 7, 70}; // mini-batch:10 runs into a second epoch after 4 updates
        for (int v = 0; v < 3; v++) {
            JsonNode updates = root.get("variants").get(v).get("updates");
            assertEquals(7, updates.size());
            assertEquals(seen[v], updates.get(6).get("examples_seen").asLong());
            assertTrue(updates.get(6).get("eval_loss").isNumber());
        }
        assertTrue(Files.readString(report).contains("data:image/png;base64,"));
    }

    @Test
    void trainStartsFromInitWeights() throws IOException {
        Path out = dir.resolve("m.json");
        Path spec = Files.writeString(dir.resolve("lin.json"), """
                {"input": [16], "layers": [{"type": "dense", "name": "only", "units": 2, "init": "zeros"}],
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "sgd", "learning_rate": 0.001}}""");
        Path weights = Files.writeString(dir.resolve("w.json"), "{\"only.bias\": [3, -3]}");
        ok("train", "--spec", spec.toString(), "--init-weights", weights.toString(), "--data", tinyData().toString(), "--epochs", "1",
                "--batch-size", "40", "--out", out.toString());
        Tensor bias = ModelFiles.read(out).parameters().get("only.bias");
        assertEquals(Shape.of(2), bias.shape());
        // One step of rate 0.001 from (3, -3) (the zeros initialiser would have started at 0) moves each bias by less than 0.001.
        assertEquals(3, bias.data()[0], 0.001);
        assertEquals(-3, bias.data()[1], 0.001);
    }

    @Test
    void aSavedModelIsTracedFromItsWeights() throws IOException {
        Path spec = Files.writeString(dir.resolve("s.json"), """
                {"input": [16], "layers": [{"type": "dense", "units": 3, "activation": "tanh"}, {"type": "dense", "units": 2}],
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "sgd", "learning_rate": 0.1}}""");
        String data = tinyData().toString();
        Path model = dir.resolve("m.pb");
        ok("train", "--spec", spec.toString(), "--data", data, "--epochs", "1", "--batch-size", "8", "--out", model.toString());
        JsonNode root = json("trace", "--model", model.toString(), "--data", data, "--batch-size", "4", "--json");
        assertBitwiseEqual(ModelFiles.read(model).parameters(), root.get("initial_parameters"));
        // The first dense applies tanh inside: its net input is not seen, and the trace says so instead of guessing.
        JsonNode fused = root.get("steps").get(0).get("layers").get(0);
        assertTrue(fused.get("pre_activation").isNull() && fused.get("delta").isNull(), fused.toString());
        assertEquals(4, fused.get("output").size());
        String text = ok("trace", "--model", model.toString(), "--data", data, "--batch-size", "2").out();
        assertTrue(text.contains("activation inside the layer: its net input is not seen"), text);
        assertTrue(text.contains("#2"), "one line per example of the batch: " + text);
    }

    @Test
    void badInitWeightsNameTheParameterAndWhatIsExpected() throws IOException {
        Path badName = Files.writeString(dir.resolve("name.json"), "{\"hiden.weight\": [[0.1, 0.2], [0.3, 0.4]]}");
        String e = fails(1, "trace", "--spec", SPEC, "--init-weights", badName.toString(), "--input", "0.1,0.2", "--target", "0.05,0.95");
        assertTrue(e.contains("hiden.weight") && e.contains("no such parameter") && e.contains("hidden.weight [2, 2]")
                && e.contains("output.bias [2]"), e);
        Path badShape = Files.writeString(dir.resolve("shape.json"), "{\"output.weight\": [[0.5, 0.6, 0.1], [0.7, 0.8, 0.1]]}");
        e = fails(1, "train", "--spec", SPEC, "--init-weights", badShape.toString(), "--data", "sample", "--epochs", "1");
        assertTrue(e.contains("output.weight[0]") && e.contains("expected a list of 2") && e.contains("found a list of 3")
                && e.contains("[2, 2]"), e);
        Path notNumber = Files.writeString(dir.resolve("nan.json"), "{\"output.bias\": [0.5, \"x\"]}");
        e = fails(1, "trace", "--spec", SPEC, "--init-weights", notNumber.toString(), "--input", "0.1,0.2", "--target", "0.05,0.95");
        assertTrue(e.contains("output.bias[1]") && e.contains("expected a number"), e);
        e = fails(1, "trace", "--spec", SPEC, "--init-weights", dir.resolve("missing.json").toString(), "--input", "0.1,0.2",
                "--target", "0.05,0.95");
        assertTrue(e.contains("no such file") && e.contains("--init-weights"), e);
    }

    @Test
    void badOptionsAreUsageErrorsThatSayWhatToGive() throws IOException {
        String e = fails(2, "trace", "--spec", SPEC, "--input", "0.1,0.2,0.3", "--target", "0.05,0.95");
        assertTrue(e.contains("--input") && e.contains("2 comma-separated values") && e.contains("has 3"), e);
        e = fails(2, "trace", "--spec", SPEC, "--input", "0.1,0.2");
        assertTrue(e.contains("--input needs --target"), e);
        e = fails(2, "trace", "--spec", SPEC);
        assertTrue(e.contains("--input VALUES --target VALUES, or --data SOURCE"), e);
        e = fails(2, with(TEXTBOOK, "--batch-size", "4"));
        assertTrue(e.contains("--batch-size applies to --data"), e);
        e = fails(2, with(TEXTBOOK, "--eval-examples", "4"));
        assertTrue(e.contains("--eval-examples applies to --compare-descent"), e);
        e = fails(2, "trace", "--spec", SPEC, "--model", SPEC, "--input", "0.1,0.2", "--target", "0.05,0.95");
        assertTrue(e.contains("--spec and --model exclude each other"), e);
        e = fails(1, "trace", "--spec", SPEC, "--data", "sample");
        assertTrue(e.contains("the model takes [2]") && e.contains("'sample'"), e);
        e = fails(2, with(TEXTBOOK, "--report", SPEC));
        assertTrue(e.contains("is one of the command's inputs"), e);
        e = fails(2, with(TEXTBOOK, "--report", dir.resolve("no-such-dir/trace.html").toString()));
        assertTrue(e.contains("no-such-dir") && e.contains("does not exist; create it first"), e);
        e = fails(2, "trace", "--spec", SPEC, "--data", "sample", "--compare-descent", "batch,minibatch");
        assertTrue(e.contains("unknown variant 'minibatch'") && e.contains("mini-batch:N"), e);
        Path model = dir.resolve("m.pb");
        e = fails(2, "train", "--resume", model.toString(), "--init-weights", WEIGHTS, "--data", "sample");
        assertTrue(e.contains("--init-weights applies to a new backprop run"), e);
    }
}
