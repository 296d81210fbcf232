package dev.propel.format.json;

import dev.propel.Propel;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerSpec;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelSpec;
import dev.propel.model.PredictionRule;
import dev.propel.model.Producer;
import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;
import dev.propel.model.testplugin.TinyModels;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonRoundTripTest {
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
        Path file = dir.resolve("model.json");
        ModelFiles.save(saved, file);
        assertSameModel(saved, ModelFiles.read(file));
    }

    @Test
    void specialFloatsRoundTripBitForBit() throws Exception {
        float[] special = {Float.NaN, Float.intBitsToFloat(0x7fa00001), Float.intBitsToFloat(0xffc00000),
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, Float.MIN_VALUE, -Float.MAX_VALUE,
                1e-40f, 3.1415927f, 0.1f, 16777217f, 1.0000001f};
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a.special", Tensor.of(special, 2, 7));
        tensors.put("a.empty", Tensor.zeros(0, 3));
        tensors.put("a.scalar", Tensor.of(new float[]{42f}));
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        float[] random = new float[5000];
        for (int i = 0; i < random.length; i++) random[i] = Float.intBitsToFloat(r.nextInt());
        tensors.put("a.random_bits", Tensor.of(random, 50, 100));
        ModelSpec spec = new ModelSpec(List.of(5), List.of(new LayerSpec("mystery", "a",
                Map.of("inf", Float.POSITIVE_INFINITY, "tiny", Float.MIN_VALUE, "big", 1L << 40))),
                ComponentSpec.of("some_loss"), null);
        SavedModel m = new SavedModel(new Producer("test", List.of()), spec, List.of(), PredictionRule.identity(), null, tensors, null);
        Path file = dir.resolve("special.json");
        ModelFiles.save(m, file);
        assertSameModel(m, ModelFiles.read(file));
        String text = Files.readString(file);
        assertTrue(text.contains("\"0x7fa00001\""), "a NaN payload is kept as raw bits");
        assertTrue(text.contains("NaN, "), "a plain NaN is the bare token NaN");
        assertTrue(text.contains("Infinity, -Infinity"), text.substring(0, 400));
    }

    @Test
    void protobufToJsonToProtobufKeepsEveryBitOfTheFile() throws Exception {
        Path pb = dir.resolve("a.pb");
        ModelFiles.save(TinyModels.trained(propel, 2), pb);
        Path json = dir.resolve("b.json");
        ModelFiles.save(ModelFiles.read(pb), json);
        Path back = dir.resolve("c.pb");
        ModelFiles.save(ModelFiles.read(json), back);
        assertArrayEquals(Files.readAllBytes(pb), Files.readAllBytes(back), "the whole .pb file, byte for byte");
    }

    @Test
    void aScheduleChainWithItsPositionRoundTripsThroughBothFormats() throws Exception {
        SavedModel trained = TinyModels.trained(propel, 2);
        dev.propel.model.ScheduleState schedule = new dev.propel.model.ScheduleState(List.of(
                ComponentSpec.of("warmup", Map.of("warmup_steps", 5, "start_factor", 0.25f)),
                ComponentSpec.of("cosine", Map.of("t_max", 40, "eta_min", 1e-4f))), "batch", 8);
        SavedModel saved = trained.withProvenance(trained.provenance().withSchedule(schedule));
        Path json = dir.resolve("s.json");
        ModelFiles.save(saved, json);
        assertSameModel(saved, ModelFiles.read(json));
        assertTrue(Files.readString(json).contains("\"schedule\": {\n      \"per\": \"batch\",\n      \"step\": 8,\n      \"chain\": ["),
                "the provenance's schedule object");
        Path pb = dir.resolve("s.pb");
        ModelFiles.save(saved, pb);
        assertSameModel(saved, ModelFiles.read(pb));
        Path back = dir.resolve("s2.pb");
        ModelFiles.save(ModelFiles.read(json), back);
        assertArrayEquals(Files.readAllBytes(pb), Files.readAllBytes(back), "the .pb file, byte for byte, through JSON");
    }

    @Test
    void aLoadedJsonModelPredictsExactlyAsTheSavedOne() throws Exception {
        SavedModel saved = TinyModels.trained(propel, 2);
        Path file = dir.resolve("model.json");
        ModelFiles.save(saved, file);
        LoadedModel loaded = ModelFiles.load(propel, file);
        Model reference = propel.build(saved.spec(), 1);
        reference.loadParameters(saved.parameters());
        Tensor x = TinyModels.data(10, 4, 2, 99).features();
        assertArrayEquals(rawBits(reference.predict(x)), rawBits(loaded.model().predict(x)));
        assertTrue(loaded.hasOptimizerState());
        loaded.optimizer(propel);
    }

    @Test
    void theTextIsForPeople() throws Exception {
        Path file = dir.resolve("model.json");
        ModelFiles.save(TinyModels.trained(propel, 1), file);
        String text = Files.readString(file);
        assertTrue(text.startsWith("{\n  \"format\": \"propel-model\",\n  \"format_version\": \"1.1\","), text.substring(0, 100));
        assertTrue(text.contains("\"type\": \"affine\",\n    \"name\": \"affine_0\",\n    \"units\": 8\n"), text);
        assertTrue(text.contains("\"input\": [ 4 ]"), "short lists stay on one line");
        assertTrue(text.contains("\"validation_loss\": null"), "metrics not measured are null");
        assertTrue(text.contains("\"mode\": \"ünïcødé ✓\""), "text is UTF-8, not escaped");
    }

    @Test
    void theFormatIsFoundByExtension() {
        assertInstanceOf(JsonModelFormat.class, ModelFiles.formatFor(Path.of("m.JSON")));
    }

    @Test
    void readingIntoTheReceiverStreamsWhenTheGraphComesFirst() throws Exception {
        SavedModel saved = TinyModels.trained(propel, 1);
        String json = JsonModelFormat.toJson(saved);
        List<String> order = new java.util.ArrayList<>();
        JsonModelFormat.fromJson(json, "m.json", new TensorReceiver() {
            @Override
            public void begin(SavedModel header) {
                order.add("begin " + header.spec().layers().size());
            }

            @Override
            public Tensor parameter(String name, dev.propel.tensor.Shape shape) {
                order.add(name);
                return Tensor.zeros(shape);
            }

            @Override
            public Tensor optimizerState(String name, dev.propel.tensor.Shape shape) {
                return Tensor.zeros(shape);
            }
        });
        assertTrue(order.getFirst().equals("begin 4"), order.toString());
        assertTrue(order.size() == 6, order.toString());
    }
}
