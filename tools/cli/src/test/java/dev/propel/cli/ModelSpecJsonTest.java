package dev.propel.cli;

import dev.propel.model.LayerSpec;
import dev.propel.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSpecJsonTest {
    /** The committed example, also the quickstart model (tests run in tools/cli). */
    static final Path EXAMPLE = Path.of("../../examples/mlp.json");

    @Test
    void readsTheExampleMlp() {
        ModelSpec spec = ModelSpecJson.read(EXAMPLE);
        assertEquals(List.of(784), spec.input());
        assertEquals(List.of("dense", "relu", "dense", "relu", "dense"), spec.layers().stream().map(LayerSpec::type).toList());
        assertEquals(Map.of("units", 512), spec.layers().get(0).attributes());
        assertEquals(Map.of(), spec.layers().get(1).attributes());
        assertEquals(Map.of("units", 10), spec.layers().get(4).attributes());
        assertNull(spec.layers().get(0).name());
        assertEquals("cross_entropy", spec.loss().type());
        assertEquals(Map.of(), spec.loss().attributes());
        assertEquals("adam", spec.optimizer().type());
        assertEquals(Map.of("learning_rate", 0.001), spec.optimizer().attributes());
    }

    @Test
    void jsonValuesBecomeAttributeValuesOfTheMatchingJavaType() {
        ModelSpec spec = parse("""
                {"input": [28, 28],
                 "layers": [{"type": "t", "name": "first", "i": 7, "big": 10000000000, "d": 0.5, "e": 1e-3,
                             "s": "tanh", "b": true, "ints": [1, 2], "mixed": [1, 2.5, "x"], "nested": [[1], []]}],
                 "loss": {"type": "mse", "reduction": "mean"}}""");
        LayerSpec layer = spec.layers().getFirst();
        assertEquals("first", layer.name());
        Map<String, Object> a = layer.attributes();
        assertEquals(Integer.valueOf(7), a.get("i"));
        assertEquals(Long.valueOf(10_000_000_000L), a.get("big"));
        assertEquals(Double.valueOf(0.5), a.get("d"));
        assertEquals(Double.valueOf(0.001), a.get("e"));
        assertEquals("tanh", a.get("s"));
        assertEquals(Boolean.TRUE, a.get("b"));
        assertEquals(List.of(1, 2), a.get("ints"));
        assertEquals(List.of(1, 2.5, "x"), a.get("mixed"));
        assertEquals(List.of(List.of(1), List.of()), a.get("nested"));
        assertEquals(List.of("i", "big", "d", "e", "s", "b", "ints", "mixed", "nested"), List.copyOf(a.keySet()),
                "attributes keep the file's order");
        assertEquals(List.of(28, 28), spec.input());
        assertEquals(Map.of("reduction", "mean"), spec.loss().attributes());
        assertNull(spec.optimizer(), "no optimizer in the spec: the CLI then uses its default");
    }

    @Test
    void missingFileNamesTheFileAndTheOption(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        SpecException e = assertThrows(SpecException.class, () -> ModelSpecJson.read(missing));
        assertTrue(e.getMessage().startsWith(missing + ": no such file"), e.getMessage());
        assertTrue(e.getMessage().contains("--spec"), e.getMessage());
    }

    @Test
    void directoryIsNotASpec(@TempDir Path dir) {
        SpecException e = assertThrows(SpecException.class, () -> ModelSpecJson.read(dir));
        assertEquals(dir + ": is a directory, not a JSON file", e.getMessage());
    }

    @Test
    void nonUtf8FileIsRejected(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bin.json");
        Files.write(f, new byte[]{(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
        SpecException e = assertThrows(SpecException.class, () -> ModelSpecJson.read(f));
        assertTrue(e.getMessage().contains("not a UTF-8 text file"), e.getMessage());
    }

    @Test
    void invalidJsonGivesLineAndColumn() {
        String m = error("{\"input\": [784],\n \"layers\": [}");
        assertTrue(m.startsWith("model.json: invalid JSON at line 2, column 13: Unexpected close marker '}': expected ']' "
                + "(for Array starting at line 2, column 12)"), m);
        assertTrue(!m.contains("\n") && !m.contains("REDACTED"), "one clean line: " + m);
    }

    @Test
    void emptyFile() {
        assertTrue(error("  \n").startsWith("model.json: the file is empty; expected a JSON object with the keys input, layers, outputs, loss, optimizer"));
    }

    @Test
    void trailingContentAfterTheObject() {
        assertTrue(error("{\"input\": [1]} {}").startsWith("model.json: invalid JSON"), error("{\"input\": [1]} {}"));
    }

    @Test
    void duplicateKeys() {
        String m = error("{\"input\": [1], \"input\": [2]}");
        assertTrue(m.startsWith("model.json: invalid JSON") && m.contains("input"), m);
    }

    @Test
    void rootMustBeAnObject() {
        assertEquals("model.json: expected a JSON object with the keys input, layers, outputs, loss, optimizer but found a list", error("[1, 2]"));
    }

    @Test
    void unknownTopLevelKeyListsTheValidOnes() {
        assertEquals("model.json: optimiser: unknown key; valid top-level keys are input, layers, outputs, loss, optimizer",
                error(valid().replace("\"optimizer\"", "\"optimiser\"")));
    }

    @Test
    void missingRequiredKeys() {
        assertEquals("model.json: input: missing; add it, e.g. \"input\": [784]", error("{\"layers\": [], \"loss\": {}}"));
        assertTrue(error("{\"input\": [4], \"loss\": {\"type\": \"mse\"}}").startsWith("model.json: layers: missing; add it"));
        assertEquals("model.json: loss: missing; add it, e.g. \"loss\": {\"type\": \"cross_entropy\"}",
                error("{\"input\": [4], \"layers\": [{\"type\": \"relu\"}]}"));
    }

    @Test
    void inputMustBePositiveIntegers() {
        assertEquals("model.json: input[1]: expected a positive integer but found the number 0",
                error(valid().replace("[784]", "[28, 0]")));
        assertEquals("model.json: input[0]: expected a positive integer but found the string \"784\"",
                error(valid().replace("[784]", "[\"784\"]")));
        assertTrue(error(valid().replace("[784]", "0")).startsWith("model.json: input: expected the per-sample input shape"));
        assertEquals(List.of(784), parse(valid().replace("[784]", "784")).input(), "the documented shorthand \"input\": 784");
        assertTrue(error(valid().replace("[784]", "[]")).contains("but found an empty list"));
    }

    @Test
    void layersMustBeANonEmptyListOfObjectsWithAType() {
        assertTrue(error(valid().replaceFirst("\\[\\{\"type\": \"dense\", \"units\": 10}]", "[]"))
                .startsWith("model.json: layers: expected a non-empty list of layer objects"));
        assertEquals("model.json: layers[1]: expected a layer object such as {\"type\": \"relu\"} but found the string \"relu\"",
                error(valid().replace("{\"type\": \"dense\", \"units\": 10}", "{\"type\": \"dense\", \"units\": 10}, \"relu\"")));
        assertEquals("model.json: layers[0]: missing \"type\"; add e.g. \"type\": \"dense\" (run 'propel plugins' to list the types)",
                error(valid().replace("{\"type\": \"dense\", \"units\": 10}", "{\"units\": 10}")));
        assertEquals("model.json: layers[0].type: expected a type id string such as \"dense\" but found the number 3",
                error(valid().replace("\"type\": \"dense\"", "\"type\": 3")));
        assertEquals("model.json: layers[0].name: expected a non-empty string but found the number 1",
                error(valid().replace("\"units\": 10", "\"units\": 10, \"name\": 1")));
    }

    @Test
    void attributeValuesMustBePlainValues() {
        assertEquals("model.json: layers[0].units: null is not a valid value; leave the key out to use the default",
                error(valid().replace("\"units\": 10", "\"units\": null")));
        assertEquals("model.json: layers[0].init: expected a number, string, boolean or list but found an object; "
                        + "attributes cannot be nested objects",
                error(valid().replace("\"units\": 10", "\"units\": 10, \"init\": {\"std\": 1}")));
        assertEquals("model.json: layers[0].shape[1]: null is not a valid value; leave the key out to use the default",
                error(valid().replace("\"units\": 10", "\"units\": 10, \"shape\": [1, null]")));
        assertEquals("model.json: layers[0].units: the integer 100000000000000000000 is too large",
                error(valid().replace("\"units\": 10", "\"units\": 100000000000000000000")));
    }

    @Test
    void lossAndOptimizerMustBeObjectsWithAType() {
        assertEquals("model.json: loss: expected an object such as {\"type\": \"cross_entropy\"} but found the number 3",
                error(valid().replace("{\"type\": \"cross_entropy\"}", "3")));
        assertEquals("mse", parse(valid().replace("{\"type\": \"cross_entropy\"}", "\"mse\"")).loss().type(),
                "the documented shorthand \"loss\": \"mse\"");
        assertEquals("model.json: optimizer: missing \"type\"; add e.g. \"type\": \"adam\" (run 'propel plugins' to list the types)",
                error(valid().replace("\"type\": \"adam\", ", "")));
    }

    @Test
    void layersNameTheirInputsAndTheSpecItsOutput() {
        ModelSpec spec = parse("""
                {"input": 6,
                 "layers": [{"type": "dense", "name": "d1", "units": 6},
                            {"type": "add", "name": "sum", "inputs": ["d1", "input"]},
                            {"type": "dense", "name": "out", "units": 3, "inputs": "sum"}],
                 "outputs": ["out"], "loss": "mse"}""");
        assertNull(spec.layers().get(0).inputs(), "no inputs: the layer before");
        assertEquals(List.of("d1", "input"), spec.layers().get(1).inputs());
        assertEquals(List.of("sum"), spec.layers().get(2).inputs());
        assertEquals(Map.of("units", 3), spec.layers().get(2).attributes(), "inputs is not an attribute");
        assertEquals(List.of("out"), spec.outputs());
        assertEquals("model.json: layers[1].inputs[1]: expected a layer name but found the number 2",
                error(valid().replace("{\"type\": \"dense\", \"units\": 10}", "{\"type\": \"dense\"}, {\"type\": \"add\", \"inputs\": [\"a\", 2]}")));
        assertTrue(error(valid().replace("\"optimizer\"", "\"outputs\": [], \"optimizer\"")).startsWith("model.json: outputs: expected a layer name"));
    }

    @Test
    void aSavedModelIsReadAsASpecByTheModelFormatsReader() {
        String saved = """
                {"format": "propel-model", "format_version": "1.1", "input": [4],
                 "layers": [{"type": "dense", "name": "d", "units": 4}, {"type": "add", "name": "a"}],
                 "loss": {"type": "mse"},
                 "graph": [{"name": "d", "inputs": ["input"], "input_shape": [4], "output_shape": [4]},
                           {"name": "a", "inputs": ["d", "input"], "input_shape": [4], "output_shape": [4]}]}""";
        ModelSpec spec = parse(saved);
        assertEquals(List.of("d", "input"), spec.layers().get(1).inputs(), "the graph's wiring");
        assertEquals("mse", spec.loss().type());
    }

    private static String valid() {
        return "{\"input\": [784], \"layers\": [{\"type\": \"dense\", \"units\": 10}], \"loss\": {\"type\": \"cross_entropy\"}, "
                + "\"optimizer\": {\"type\": \"adam\", \"learning_rate\": 0.001}}";
    }

    private static ModelSpec parse(String json) {
        return ModelSpecJson.parse(json, "model.json");
    }

    private static String error(String json) {
        return assertThrows(SpecException.class, () -> parse(json)).getMessage();
    }
}
