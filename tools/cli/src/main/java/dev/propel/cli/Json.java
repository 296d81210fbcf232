package dev.propel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON output of the commands ({@code --json}): one object, pretty-printed. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
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
