package dev.propel.format.json;

import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFormatException;
import dev.propel.model.ModelSpec;
import dev.propel.model.testplugin.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON model spec that {@code propel train} takes. */
class JsonSpecTest {

    private static ModelSpec spec(String json) throws Exception {
        return JsonModelFormat.parseSpec(json, "spec.json");
    }

    private static String refused(String json) {
        String m = assertThrows(ModelFormatException.class, () -> spec(json)).getMessage();
        assertTrue(m.startsWith("spec.json: "), m);
        return m;
    }

    @Test
    void theIssueExampleReadsWithTypedAttributes() throws Exception {
        ModelSpec s = spec("""
                {"input": [784], "layers": [{"type": "dense", "units": 512}, {"type": "relu"},
                  {"type": "dense", "units": 10, "name": "logits"}],
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "learning_rate": 0.001}}
                """);
        assertEquals(List.of(784), s.input());
        assertEquals(new LayerSpec("dense", "dense_0", Map.of("units", 512)), s.layers().get(0));
        assertEquals(new LayerSpec("relu", "relu_1", Map.of()), s.layers().get(1));
        assertEquals("logits", s.layers().get(2).name());
        assertEquals(ComponentSpec.of("cross_entropy"), s.loss());
        assertEquals(new ComponentSpec("adam", Map.of("learning_rate", 0.001f)), s.optimizer());
        assertEquals(Integer.class, s.layers().get(0).attributes().get("units").getClass());
    }

    @Test
    void shorthandsAreAccepted() throws Exception {
        ModelSpec s = spec("{\"input\": 3, \"layers\": [{\"type\": \"tanh\"}], \"loss\": \"mse\"}");
        assertEquals(List.of(3), s.input());
        assertEquals(ComponentSpec.of("mse"), s.loss());
        assertNull(s.optimizer());
    }

    @Test
    void aSavedModelIsASpecToo() throws Exception {
        try (var propel = TinyModels.propel()) {
            String json = JsonModelFormat.toJson(TinyModels.trained(propel, 1));
            ModelSpec s = spec(json);
            assertEquals(TinyModels.spec().layers().size(), s.layers().size());
            assertEquals("heavy_ball", s.optimizer().type());
        }
    }

    @Test
    void unknownTopLevelKeysOfASpecAreRefusedSoTyposCannotPass() throws Exception {
        String m = refused("{\"comment\": {\"any\": [1, 2]}, \"input\": [2], \"layers\": [{\"type\": \"tanh\"}], \"loss\": \"mse\"}");
        assertTrue(m.contains("unknown key \"comment\" at line 1, column 14"), m);
        assertTrue(m.contains("\"input\", \"layers\", \"loss\" and optionally \"optimizer\" and \"outputs\""), m);
        ModelSpec s = spec("{\"format\": \"propel-model\", \"input\": [2], \"layers\": [{\"type\": \"tanh\"}], \"loss\": \"mse\","
                + " \"prediction\": {\"type\": \"argmax\"}, \"tensors\": []}");
        assertEquals(1, s.layers().size(), "a saved model's sections are accepted");
    }

    @Test
    void layersNameTheirInputsAndTheSpecItsOutput() throws Exception {
        ModelSpec s = spec("{\"input\": 4, \"layers\": [{\"type\": \"dense\", \"name\": \"d\", \"units\": 4},"
                + " {\"type\": \"add\", \"name\": \"a\", \"inputs\": [\"d\", \"input\"]}], \"outputs\": \"a\", \"loss\": \"mse\"}");
        assertEquals(List.of("d", "input"), s.layers().get(1).inputs());
        assertEquals(java.util.Map.of(), s.layers().get(1).attributes(), "inputs is not an attribute");
        assertEquals(List.of("a"), s.outputs());
    }

    @Test
    void missingPartsAreNamedWithExamples() {
        String m = refused("{\"input\": [2]}");
        assertTrue(m.contains("the model has no \"layers\" (e.g. [{\"type\": \"dense\", \"units\": 10}]), no \"loss\""), m);
        assertTrue(m.contains("keys found: [input]"), m);
        assertTrue(refused("{\"input\": [], \"layers\": [], \"loss\": \"mse\"}").contains("\"input\" is empty"));
        assertTrue(refused("{\"input\": [0], \"layers\": [], \"loss\": \"mse\"}").contains("input[0] is 0; dimensions must be > 0"));
    }

    @Test
    void badLayersAreNamedByPath() {
        assertTrue(refused("{\"input\": [2], \"layers\": [{\"units\": 3}], \"loss\": \"mse\"}")
                .contains("layers[0] has no \"type\""));
        assertTrue(refused("{\"input\": [2], \"layers\": [{\"type\": \"dense\", \"units\": {\"n\": 3}}], \"loss\": \"mse\"}")
                .contains("layers[0].units is an object; attributes are numbers, strings, true/false, or lists"));
        assertTrue(refused("{\"input\": [2], \"layers\": [{\"type\": \"dense\", \"units\": null}], \"loss\": \"mse\"}")
                .contains("layers[0].units is null"));
        assertTrue(refused("{\"input\": [2], \"layers\": [{\"type\": \"x\", \"l\": [1, \"a\"]}], \"loss\": \"mse\"}")
                .contains("layers[0].l is a list mixing strings and numbers"));
        assertTrue(refused("{\"input\": [2], \"layers\": [{\"type\": \"x\", \"l\": [[1]]}], \"loss\": \"mse\"}")
                .contains("layers[0].l[0] is a list"));
        assertTrue(refused("{\"input\": [2], \"layers\": [{\"type\": \"x\", \"n\": 99999999999999999999}], \"loss\": \"mse\"}")
                .contains("beyond the 64-bit integer range"));
        assertTrue(refused("{\"input\": [2], \"layers\": [{\"type\": \"x\"}, {\"type\": \"x\", \"name\": \"x_0\"}], \"loss\": \"mse\"}")
                .contains("the name 'x_0' of an earlier layer"));
        assertTrue(refused("{\"input\": [2], \"layers\": {\"type\": \"x\"}, \"loss\": \"mse\"}")
                .contains("\"layers\" must be a list of layer objects but is an object"));
    }

    @Test
    void invalidJsonGivesLineAndColumn() {
        String m = refused("{\"input\": [2],\n \"layers\": [{\"type\": \"tanh\",}],\n \"loss\": \"mse\"}");
        assertTrue(m.contains("line 2, column"), m);
        assertTrue(m.contains("not valid JSON"), m);
        assertTrue(refused("{\"input\": [2], \"input\": [3]}").contains("\"input\" appears twice"));
        assertTrue(refused("").contains("the file is empty"));
        assertTrue(refused("[1, 2]").contains("must be a JSON object"));
        assertTrue(refused("{\"input\": [2]").contains("truncated"));
        assertTrue(refused("{\"input\": [2], \"layers\": [], \"loss\": \"mse\"} {}").contains("unexpected content after"));
    }

    @Test
    void formatAndVersionAreChecked() {
        assertTrue(refused("{\"format\": \"onnx\"}").contains("\"format\" is \"onnx\", not \"propel-model\""));
        assertTrue(refused("{\"format_version\": \"2.0\", \"input\": [1]}")
                .contains("written in JSON model format version 2.0, newer than this Propel reads (1.x); upgrade Propel"));
        assertTrue(refused("{\"format_version\": \"one\"}").contains("expected <major>.<minor>"));
    }

    @Test
    void aNewerMinorVersionReads() throws Exception {
        assertEquals(1, spec("{\"format_version\": \"1.7\", \"input\": [2], \"layers\": [{\"type\": \"t\"}], \"loss\": \"mse\"}")
                .layers().size());
    }
}
