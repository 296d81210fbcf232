package dev.propel.format.proto;

import dev.propel.Propel;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerSpec;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelSpec;
import dev.propel.model.PluginRef;
import dev.propel.model.PredictionRule;
import dev.propel.model.Producer;
import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;
import dev.propel.model.testplugin.TinyModels;
import dev.propel.model.testplugin.TinyPlugin;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.propel.model.testplugin.SavedModelAssert.assertSameModel;
import static dev.propel.model.testplugin.SavedModelAssert.rawBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtoRoundTripTest {
    private static Propel propel;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        propel = TinyModels.propel();
    }

    @AfterAll
    static void tearDown() {
        propel.close();
    }

    @Test
    void aTrainedModelWithStateAndProvenanceReadsBackIdentically() throws Exception {
        SavedModel saved = TinyModels.trained(propel, 2);
        Path file = dir.resolve("model.pb");
        ModelFiles.save(saved, file);
        SavedModel read = ModelFiles.read(file);
        assertSameModel(saved, read);
        assertEquals(2, read.provenance().epochs());
        assertEquals(2, read.provenance().metrics().size());
        assertTrue(Float.isNaN(read.provenance().metrics().getFirst().validationLoss()), "NaN metrics survive");
        assertEquals("heavy_ball", read.optimizerState().type());
        assertEquals(8, read.optimizerState().stepCount(), "64 examples / 16 per batch × 2 epochs");
    }

    @Test
    void theProducerRecordsWhichPluginProvidedEachType() throws Exception {
        SavedModel saved = TinyModels.trained(propel, 1);
        Path file = dir.resolve("model.pb");
        ModelFiles.save(saved, file);
        Producer producer = ModelFiles.read(file).producer();
        assertEquals(List.of(new PluginRef(TinyPlugin.NAME, TinyPlugin.VERSION,
                List.of("affine", "heavy_ball", "mse", "shift", "tanh"))), producer.plugins());
        assertEquals("0.1.0-SNAPSHOT", producer.propelVersion());
    }

    @Test
    void aPluginLayerWithEveryAttributeKindSavesThroughGenericAttributes() throws Exception {
        SavedModel saved = TinyModels.trained(propel, 1);
        Path file = dir.resolve("model.pb");
        ModelFiles.save(saved, file);
        Map<String, Object> attrs = ModelFiles.read(file).spec().layers().get(2).attributes();
        assertEquals(0.75f, attrs.get("factor"));
        assertEquals(true, attrs.get("enabled"));
        assertEquals(3, attrs.get("repeat"));
        assertEquals("ünïcødé ✓", attrs.get("mode"));
        assertEquals(List.of(0, -1), attrs.get("axes"));
        assertEquals(List.of(0.5f, Float.MIN_VALUE, -0f), attrs.get("weights"));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits((Float) ((List<?>) attrs.get("weights")).get(2)));
        assertEquals(List.of("a", "b c"), attrs.get("tags"));
        assertEquals(List.of("factor", "enabled", "repeat", "mode", "axes", "weights", "tags"), List.copyOf(attrs.keySet()),
                "attributes keep their schema order");
    }

    @Test
    void aLoadedModelPredictsExactlyAsTheSavedOne() throws Exception {
        SavedModel saved = TinyModels.trained(propel, 2);
        Path file = dir.resolve("model.pb");
        ModelFiles.save(saved, file);
        LoadedModel loaded = ModelFiles.load(propel, file);
        Tensor x = TinyModels.data(10, 4, 2, 99).features();
        Tensor expected = propel.build(saved.spec(), 1).predict(x);
        // The model built above has fresh weights: give it the saved ones to get the reference output.
        Model reference = propel.build(saved.spec(), 1);
        reference.loadParameters(saved.parameters());
        assertArrayEquals(rawBits(reference.predict(x)), rawBits(loaded.model().predict(x)));
        assertTrue(expected.size() > 0);
        assertTrue(loaded.hasOptimizerState());
    }

    @Test
    void loadingReadsValuesStraightIntoTheModelParameters() throws Exception {
        SavedModel saved = TinyModels.trained(propel, 1);
        Path file = dir.resolve("model.pb");
        ModelFiles.save(saved, file);
        LoadedModel loaded = ModelFiles.load(propel, file);
        for (Map.Entry<String, Tensor> e : loaded.model().parameters().entrySet()) {
            assertSame(e.getValue(), loaded.saved().parameters().get(e.getKey()), "no second copy of " + e.getKey());
        }
    }

    @Test
    void tensorsSpanningManyChunksAndSpecialValuesRoundTripBitwise() throws Exception {
        float[] special = {Float.NaN, Float.intBitsToFloat(0x7fa00001), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                -0f, 0f, Float.MIN_VALUE, -Float.MAX_VALUE, 1e-40f, 3.1415927f};
        float[] big = new float[1000];
        for (int i = 0; i < big.length; i++) big[i] = i * 0.001f - 0.3f;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a.special", Tensor.of(special, 2, 5));
        tensors.put("a.big", Tensor.of(big, 10, 100));
        tensors.put("a.empty", Tensor.zeros(0, 3));
        tensors.put("a.scalar", Tensor.of(new float[]{42f}));
        SavedModel m = handMade(tensors);
        for (int chunk : new int[]{8, 16, 24, 4000, 4008, 1 << 20}) {
            Path file = dir.resolve("chunks-" + chunk + ".pb");
            new ProtoModelFormat(chunk).write(m, file);
            SavedModel read = new ProtoModelFormat().read(file, TensorReceiver.allocating());
            assertSameModel(m, read);
        }
    }

    @Test
    void aFileIsNoLargerThanItsTensorsPlusOnePercent() throws Exception {
        Model model = propel.build(TinyModels.spec(784, 512, 10), 3);
        SavedModel saved = SavedModel.builder(propel, model).build();
        long raw = saved.parameterCount() * Float.BYTES;
        assertTrue(raw > 1_000_000);
        Path file = dir.resolve("big.pb");
        ModelFiles.save(saved, file);
        long size = Files.size(file);
        assertTrue(size <= raw * 1.01, "file " + size + " bytes for " + raw + " tensor bytes");
    }

    @Test
    void savingReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws Exception {
        Path file = dir.resolve("model.pb");
        ModelFiles.save(TinyModels.trained(propel, 1), file);
        SavedModel second = TinyModels.trained(propel, 2);
        ModelFiles.save(second, file);
        assertSameModel(second, ModelFiles.read(file));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList());
        }
    }

    @Test
    void theFormatIsFoundByExtension() {
        assertInstanceOf(ProtoModelFormat.class, ModelFiles.formatFor(Path.of("x/model.PB")));
    }

    /** A model with arbitrary tensors and no plugin behind it: the format must not care. */
    static SavedModel handMade(Map<String, Tensor> tensors) {
        ModelSpec spec = new ModelSpec(List.of(5), List.of(new LayerSpec("mystery", "a", Map.of("k", 1))),
                ComponentSpec.of("some_loss"), null);
        return new SavedModel(new Producer("test", List.of()), spec, List.of(), PredictionRule.identity(), null, tensors, null);
    }
}
