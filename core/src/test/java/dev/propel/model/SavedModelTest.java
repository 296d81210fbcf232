package dev.propel.model;

import dev.propel.Propel;
import dev.propel.model.testplugin.TinyModels;
import dev.propel.model.testplugin.TinyPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SavedModelTest {
    private static Propel propel;

    @BeforeAll
    static void setUp() {
        propel = TinyModels.propel();
    }

    @AfterAll
    static void tearDown() {
        propel.close();
    }

    @Test
    void capturesResolvedAttributesShapesAndTheModelsOwnTensors() {
        Model model = propel.build(TinyModels.spec(), 1);
        SavedModel saved = SavedModel.builder(propel, model).build();
        assertEquals(List.of(4), saved.spec().input());
        assertEquals("shift_2", saved.spec().layers().get(2).name());
        // The spec gave 'factor' and others; the schema's defaults are captured too, in schema order.
        assertEquals(List.of("factor", "enabled", "repeat", "mode", "axes", "weights", "tags"),
                List.copyOf(saved.spec().layers().get(2).attributes().keySet()));
        assertEquals(new LayerInfo("affine_0", List.of("input"), List.of(4), List.of(8)), saved.graph().get(0));
        assertEquals(new LayerInfo("tanh_1", List.of("affine_0"), List.of(8), List.of(8)), saved.graph().get(1));
        assertSame(model.parameters().get("affine_0.weight"), saved.parameters().get("affine_0.weight"));
        assertEquals(model.parameterCount(), saved.parameterCount());
        assertEquals(Map.of("learning_rate", 0.05f, "momentum", 0.9f), saved.spec().optimizer().attributes());
        assertNull(saved.optimizerState());
        assertNull(saved.provenance());
        assertEquals(PredictionRule.argmax(), saved.prediction());
    }

    @Test
    void theProducerListsOnlyPluginsWhoseTypesTheModelUses() {
        Model model = propel.build(TinyModels.spec(), 1);
        Producer p = SavedModel.builder(propel, model).build().producer();
        assertEquals(List.of(new PluginRef(TinyPlugin.NAME, TinyPlugin.VERSION,
                List.of("affine", "heavy_ball", "mse", "shift", "tanh"))), p.plugins());
        assertEquals(TinyPlugin.NAME, p.providerOf("mse").name());
        assertNull(p.providerOf("plain_sgd"));
        assertEquals(PropelVersion.current(), p.propelVersion());
        assertTrue(p.propelVersion().matches("\\d+\\.\\d+\\.\\d+.*"), p.propelVersion());
    }

    @Test
    void withAnOptimizerItRecordsItsStateAndResolvedAttributes() {
        Model model = propel.build(TinyModels.spec(), 1);
        var opt = propel.optimizer("plain_sgd", Map.of());
        SavedModel saved = SavedModel.builder(propel, model).optimizer(opt, true).build();
        assertEquals(new ComponentSpec("plain_sgd", Map.of("learning_rate", 0.1f)), saved.spec().optimizer());
        assertEquals("plain_sgd", saved.optimizerState().type());
        assertEquals(0, saved.optimizerState().stepCount());
    }

    @Test
    void unnamedLayersGetTheNamesTheBuilderWouldGiveAndASequentialGraph() {
        ModelSpec spec = ModelSpec.builder().input(3).layer("affine", Map.of("units", 2)).layer("tanh").loss("mse").build();
        SavedModel m = new SavedModel(new Producer("x", List.of()), spec, null, PredictionRule.argmax(), null, null, null);
        assertEquals("affine_0", m.spec().layers().get(0).name());
        assertEquals(List.of("affine_0"), m.graph().get(1).inputs());
        assertEquals(List.of(), m.graph().get(1).outputShape());
    }

    @Test
    void duplicateOrMismatchedLayerNamesAreRefused() {
        ModelSpec spec = new ModelSpec(List.of(3), List.of(new LayerSpec("tanh", "a", Map.of()), new LayerSpec("tanh", "a", Map.of())),
                ComponentSpec.of("mse"), null);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SavedModel(new Producer("x", List.of()), spec, null, PredictionRule.argmax(), null, null, null));
        assertTrue(e.getMessage().contains("the name 'a' of an earlier layer"), e.getMessage());
        ModelSpec one = new ModelSpec(List.of(3), List.of(new LayerSpec("tanh", "a", Map.of())), ComponentSpec.of("mse"), null);
        var e2 = assertThrows(IllegalArgumentException.class, () -> new SavedModel(new Producer("x", List.of()), one,
                List.of(new LayerInfo("b", List.of("input"), List.of(), List.of())), PredictionRule.argmax(), null, null, null));
        assertTrue(e2.getMessage().contains("graph entry 0 is named 'b' but layer 0 is named 'a'"), e2.getMessage());
    }
}
