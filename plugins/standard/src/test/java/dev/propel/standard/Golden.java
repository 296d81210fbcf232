package dev.propel.standard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.propel.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the PyTorch fixtures in {@code src/test/resources/golden}, written by
 * {@code src/test/python/make_golden.py}. A tensor is {@code {"shape": [..], "data": [..]}} with the
 * exact float32 values.
 */
final class Golden {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Golden() {
    }

    /** The cases of fixture file {@code name} ("layers", "losses" or "optimizers"). */
    static List<JsonNode> cases(String name) {
        String resource = "/golden/" + name + ".json";
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource + "; run make_golden.py");
            List<JsonNode> cases = new ArrayList<>();
            JSON.readTree(in).get("cases").forEach(cases::add);
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    static Tensor tensor(JsonNode node) {
        int[] dims = new int[node.get("shape").size()];
        for (int i = 0; i < dims.length; i++) dims[i] = node.get("shape").get(i).asInt();
        JsonNode data = node.get("data");
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) values[i] = (float) data.get(i).asDouble();
        return Tensor.of(values, dims);
    }

    /** Attribute maps as a model spec would give them: Integer, Double, Boolean, String values. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> attributes(JsonNode node) {
        return JSON.convertValue(node.get("attributes"), Map.class);
    }
}
