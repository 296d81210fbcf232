package dev.propel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/** JSON output of the commands ({@code --json}): one object, pretty-printed. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Attribute values (numbers, strings, booleans, lists) as a JSON tree; non-finite floats as strings. */
    static JsonNode value(Object v) {
        if (v instanceof Float f && !Float.isFinite(f)) return MAPPER.getNodeFactory().textNode(f.toString());
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = MAPPER.createObjectNode();
            m.forEach((k, x) -> o.set(k.toString(), value(x)));
            return o;
        }
        if (v instanceof List<?> l) {
            var a = MAPPER.createArrayNode();
            l.forEach(x -> a.add(value(x)));
            return a;
        }
        return MAPPER.valueToTree(v);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * A float metric as written by {@link Float#toString} (0.846, not 0.8460000157), or JSON null when it
     * is NaN or infinite (accuracy of regression data, metrics of absent validation data).
     */
    static void putMetric(ObjectNode node, String key, float value) {
        if (Float.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }

    /** Seconds (or another measured quantity) rounded to milliseconds. */
    static void putSeconds(ObjectNode node, String key, double seconds) {
        node.put(key, Math.round(seconds * 1000) / 1000.0);
    }
}
