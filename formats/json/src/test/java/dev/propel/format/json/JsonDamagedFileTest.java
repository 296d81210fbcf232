package dev.propel.format.json;

import dev.propel.Propel;
import dev.propel.kernel.KernelsProvider;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelFormatException;
import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;
import dev.propel.model.testplugin.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static dev.propel.model.testplugin.SavedModelAssert.assertSameModel;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Truncated, edited, hostile and reordered JSON model files. */
class JsonDamagedFileTest {
    private static Propel propel;
    private static SavedModel saved;
    private static String good;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        propel = TinyModels.propel();
        saved = TinyModels.trained(propel, 1);
        good = JsonModelFormat.toJson(saved);
    }

    @AfterAll
    static void tearDown() {
        propel.close();
    }

    private static SavedModel read(String json) throws Exception {
        return JsonModelFormat.fromJson(json, "m.json", TensorReceiver.allocating());
    }

    private static String refused(String json) {
        String m = assertThrows(ModelFormatException.class, () -> read(json)).getMessage();
        assertTrue(m.startsWith("m.json: "), m);
        return m;
    }

    @Test
    void aFileCutAnywhereBeforeItsLastBraceIsRefused() {
        // A small trained model (every section present), so every offset can be tried quickly.
        String small = JsonModelFormat.toJson(smallTrained());
        int end = small.lastIndexOf('}');
        for (int len = 0; len <= end; len++) {
            String m = refused(small.substring(0, len));
            assertTrue(m.contains("truncated") || m.contains("empty") || m.contains("not valid JSON"), "cut at " + len + ": " + m);
        }
    }

    private static SavedModel smallTrained() {
        var spec = dev.propel.model.ModelSpec.builder().input(2).layer("affine", Map.of("units", 1)).loss("mse")
                .optimizer("heavy_ball", Map.of()).build();
        var model = propel.build(spec, 1);
        var opt = propel.optimizer("heavy_ball", Map.of());
        var data = TinyModels.data(8, 2, 1, 3);
        var config = dev.propel.train.TrainingConfig.builder().epochs(1).batchSize(4).build();
        var h = new dev.propel.train.Trainer(config).fit(model, opt, data, null);
        return SavedModel.builder(propel, model).optimizer(opt, true)
                .provenance(dev.propel.model.Provenance.backprop(config, h, data, 1)).build();
    }

    @Test
    void aDamagedScheduleIsRefusedNamingItsPath() {
        String small = JsonModelFormat.toJson(smallTrained());
        String chain = "\"chain\": [ {\n        \"type\": \"constant\"\n      } ]";
        assertTrue(small.contains(chain), small);
        refusedWith(small.replace(chain, "\"chain\": []"), "provenance.schedule.chain is empty; a schedule has at least one component");
        refusedWith(small.replace(chain, "\"chain\": [{\"t_max\": 3}]"), "provenance.schedule.chain[0].type");
        refusedWith(small.replace("\"step\": 1,", "\"step\": -1,"), "provenance.schedule.step is negative");
        refusedWith(small.replace(chain, "\"chain\": 3"), "provenance.schedule.chain");
    }

    private static void refusedWith(String json, String expected) {
        String m = refused(json);
        assertTrue(m.contains(expected), m);
    }

    @Test
    void anEditedValueFailsItsChecksumUnlessTheChecksumIsRemoved() throws Exception {
        int data = good.indexOf("\"data\": [ ") + 10;
        int comma = good.indexOf(',', data);
        String edited = good.substring(0, data) + "12.5" + good.substring(comma);
        String m = refused(edited);
        assertTrue(m.contains("tensor 'affine_0.weight': its values do not match its crc32c"), m);
        assertTrue(m.contains("delete the tensor's \"crc32c\" entry"), m);
        String unchecked = edited.replaceFirst("\"crc32c\": \"0x[0-9a-f]{8}\",", "");
        assertTrue(read(unchecked).parameters().get("affine_0.weight").data()[0] == 12.5f);
    }

    @Test
    void aDeclaredSizeBeyondTheFileIsRefusedBeforeAllocation() {
        // 2^31 - 9 floats = 8 GiB: allocating first would throw OutOfMemoryError in the test heap.
        String hostile = good.replaceFirst("\"shape\": \\[ 4, 8 \\]", "\"shape\": [ 2147483639 ]");
        String m = refused(hostile);
        assertTrue(m.contains("tensor 'affine_0.weight' declares shape [2147483639]") && m.contains("bytes remain in the file"), m);
        assertTrue(refused(good.replaceFirst("\"shape\": \\[ 4, 8 \\]", "\"shape\": [ 65536, 65536 ]"))
                .contains("more elements than one tensor can hold"));
    }

    @Test
    void countsDtypesAndDuplicatesAreChecked() {
        assertTrue(refused(good.replaceFirst("\"shape\": \\[ 4, 8 \\]", "\"shape\": [ 4, 7 ]")).contains("more values than its shape's 28"));
        assertTrue(refused(good.replaceFirst("\"shape\": \\[ 4, 8 \\]", "\"shape\": [ 4, 9 ]"))
                .contains("has 32 values but its shape [4, 9] needs 36"));
        assertTrue(refused(good.replaceFirst("\"float32\"", "\"bfloat16\"")).contains("is \"bfloat16\", which this reader cannot load"));
        assertTrue(refused(good.replace("\"name\": \"affine_0.bias\"", "\"name\": \"affine_0.weight\""))
                .contains("tensor 'affine_0.weight' appears twice"));
        assertTrue(refused(good.replaceFirst("\"data\": \\[ ", "\"data\": [ \"oops\", ")).contains("holds the string \"oops\""));
    }

    @Test
    void keysInAnyOrderReadTheSameModel() throws Exception {
        // What `jq -S` does (every object's keys sorted, so a tensor's "data" precedes its "name" and "shape"),
        // and then the tensors moved before everything else, so they arrive before the graph.
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
                .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build());
        Object tree = mapper.readValue(good, Object.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> keySorted = (Map<String, Object>) sortKeys(tree);
        Map<String, Object> reordered = new java.util.LinkedHashMap<>();
        reordered.put("tensors", keySorted.get("tensors"));
        reordered.putAll(keySorted);
        String sorted = mapper.writeValueAsString(reordered);
        assertTrue(sorted.indexOf("\"tensors\"") < sorted.indexOf("\"layers\""));
        assertTrue(sorted.indexOf("\"data\"") < sorted.indexOf("\"affine_0.weight\""));
        SavedModel m = read(sorted);
        assertSameModel(saved, m);
        Path file = dir.resolve("sorted.json");
        Files.writeString(file, sorted);
        ModelFiles.load(propel, file);
    }

    @Test
    void aFileSortedByJqReadsTheSameModel() throws Exception {
        // Exactly `jq -S`: tensors stay last, and the last tensor's "data" comes before its "shape" with
        // little of the file left after it; its size must not be measured against what is left.
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
                .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build());
        String sorted = mapper.writeValueAsString(sortKeys(mapper.readValue(good, Object.class)));
        assertTrue(sorted.lastIndexOf("\"data\"") < sorted.lastIndexOf("\"shape\""));
        assertSameModel(saved, read(sorted));
    }

    private static Object sortKeys(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> t = new TreeMap<>();
            m.forEach((k, v) -> t.put((String) k, sortKeys(v)));
            return t;
        }
        if (o instanceof java.util.List<?> l) return l.stream().map(JsonDamagedFileTest::sortKeys).toList();
        return o;
    }

    @Test
    void anUnknownLayerTypeNamesThePluginTheFileRecords() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, good);
        try (Propel bare = Propel.builder().kernels(KernelsProvider.scalar()).discoverPlugins(false).build()) {
            String m = assertThrows(ModelFormatException.class, () -> ModelFiles.load(bare, file)).getMessage();
            assertTrue(m.contains("layer 0 'affine_0' has type 'affine', which no installed plugin provides"), m);
            assertTrue(m.contains("plugin 'tiny' 1.2.3"), m);
        }
    }

    @Test
    void aSpecWithoutTensorsDoesNotLoadAsATrainedModel() throws Exception {
        Path file = dir.resolve("spec.json");
        Files.writeString(file, "{\"input\": [4], \"layers\": [{\"type\": \"affine\", \"units\": 2}], \"loss\": \"mse\"}");
        String m = assertThrows(ModelFormatException.class, () -> ModelFiles.load(propel, file)).getMessage();
        assertTrue(m.contains("parameter 'affine_0.weight' [4, 2] is missing from the file (the file holds no parameter values: "
                + "it is a model spec; train it with 'propel train' first)"), m);
    }
}
