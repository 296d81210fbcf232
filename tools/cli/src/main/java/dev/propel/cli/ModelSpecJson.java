package dev.propel.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.propel.format.json.JsonModelFormat;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFormatException;
import dev.propel.model.ModelSpec;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a model spec written in JSON into a {@link ModelSpec}:
 *
 * <pre>{@code
 * {"input": [784],
 *  "layers": [{"type": "dense", "units": 512}, {"type": "relu"}, {"type": "dense", "units": 10}],
 *  "loss": {"type": "cross_entropy"},
 *  "optimizer": {"type": "adam", "learning_rate": 0.001}}
 * }</pre>
 *
 * In a layer, loss or optimizer object {@code type} (and for a layer {@code name} and {@code inputs}, the
 * layers it reads) are special; every other key is an attribute, checked later against the type's schema
 * (see {@link SpecChecker}). {@code "outputs"} names the output layer of a graph. Shorthands, as in
 * docs/format.md: {@code "input": 784} for {@code [784]}, {@code "loss": "mse"} for {@code {"type": "mse"}}.
 * A saved model's JSON ({@code "format": "propel-model"}) is read as a spec by the JSON model format's own
 * reader (its weights are ignored).
 * Attribute values become {@code Integer} (or {@code Long} when too big), {@code Double},
 * {@code String}, {@code Boolean}, or {@code List}s of those. Every error names the file and the
 * JSON path of the offending value.
 */
public final class ModelSpecJson {
    /** The keys a spec may have at the top level. */
    public static final List<String> TOP_LEVEL_KEYS = List.of("input", "layers", "outputs", "loss", "optimizer");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String source;

    private ModelSpecJson(String source) {
        this.source = source;
    }

    /** Reads the spec in {@code file}; errors are prefixed with the file as given. */
    public static ModelSpec read(Path file) {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SpecException(source, "", "no such file (looked for " + file.toAbsolutePath()
                    + "); check the path given to --spec");
        } catch (MalformedInputException e) {
            throw new SpecException(source, "", "not a UTF-8 text file; a model spec is a JSON file such as examples/mlp.json");
        } catch (IOException e) {
            String why = Files.isDirectory(file) ? "is a directory, not a JSON file" : "cannot be read: " + e;
            throw new SpecException(source, "", why);
        }
        return parse(text, source);
    }

    /** Parses spec text; {@code source} names it in error messages (e.g. the file name). */
    public static ModelSpec parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new SpecException(source, "", "invalid JSON" + where + ": " + jacksonMessage(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new SpecException(source, "", "the file is empty; expected a JSON object with the keys "
                    + String.join(", ", TOP_LEVEL_KEYS) + " (see examples/mlp.json)");
        }
        if (root.isObject() && root.path("format").asText("").equals("propel-model")) {
            return savedModelAsSpec(json, source);
        }
        return new ModelSpecJson(source).spec(root);
    }

    /**
     * A saved model's JSON used as a spec: its graph (layers, their inputs, loss, optimizer) through the JSON model
     * format's own reader, tensors ignored, so a model file and a spec describe a graph in the same way everywhere.
     */
    private static ModelSpec savedModelAsSpec(String json, String source) {
        try {
            return JsonModelFormat.parseSpec(json, source);
        } catch (ModelFormatException e) {
            throw new SpecException(e.getMessage(), e);
        } catch (IOException e) {
            throw new SpecException(source, "", "cannot be read as a saved model: " + e.getMessage());
        }
    }

    private ModelSpec spec(JsonNode root) {
        if (!root.isObject()) {
            throw error("", "expected a JSON object with the keys " + String.join(", ", TOP_LEVEL_KEYS)
                    + " but found " + describe(root));
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!TOP_LEVEL_KEYS.contains(e.getKey())) {
                throw error(e.getKey(), "unknown key; valid top-level keys are " + String.join(", ", TOP_LEVEL_KEYS));
            }
        }
        List<Integer> input = input(required(root, "input", "[784]"));
        List<LayerSpec> layers = layers(required(root, "layers", "[{\"type\": \"dense\", \"units\": 10}]"));
        ComponentSpec loss = component(required(root, "loss", "{\"type\": \"cross_entropy\"}"), "loss");
        JsonNode opt = root.get("optimizer");
        ComponentSpec optimizer = opt == null ? null : component(opt, "optimizer");
        JsonNode outputs = root.get("outputs");
        return new ModelSpec(input, layers, loss, optimizer, outputs == null ? List.of() : names(outputs, "outputs"));
    }

    /** Layer names: a list of strings, or one string. */
    private List<String> names(JsonNode node, String path) {
        if (node.isTextual()) return List.of(node.textValue());
        if (!node.isArray() || node.isEmpty()) {
            throw error(path, "expected a layer name or a non-empty list of layer names (\"input\" is the model input), e.g. "
                    + "[\"dense_1\", \"input\"], but found " + describe(node));
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            if (!n.isTextual() || n.textValue().isBlank()) {
                throw error(path + "[" + i + "]", "expected a layer name but found " + describe(n));
            }
            names.add(n.textValue());
        }
        return names;
    }

    private JsonNode required(JsonNode root, String key, String example) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            throw error(key, "missing; add it, e.g. \"" + key + "\": " + example);
        }
        return n;
    }

    private List<Integer> input(JsonNode node) {
        if (node.isInt() && node.intValue() >= 1) return List.of(node.intValue()); // shorthand: "input": 784
        if (!node.isArray() || node.isEmpty()) {
            throw error("input", "expected the per-sample input shape as a non-empty list of positive integers, e.g. [784], but found "
                    + describe(node));
        }
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode d = node.get(i);
            if (!d.isInt() || d.intValue() < 1) {
                throw error("input[" + i + "]", "expected a positive integer but found " + describe(d));
            }
            dims.add(d.intValue());
        }
        return dims;
    }

    private List<LayerSpec> layers(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw error("layers", "expected a non-empty list of layer objects, e.g. [{\"type\": \"dense\", \"units\": 10}], but found "
                    + describe(node));
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "layers[" + i + "]";
            JsonNode layer = node.get(i);
            if (!layer.isObject()) {
                throw error(path, "expected a layer object such as {\"type\": \"relu\"} but found " + describe(layer));
            }
            String type = typeOf(layer, path, "\"dense\"");
            String name = null;
            JsonNode nameNode = layer.get("name");
            if (nameNode != null) {
                if (!nameNode.isTextual() || nameNode.textValue().isBlank()) {
                    throw error(path + ".name", "expected a non-empty string but found " + describe(nameNode));
                }
                name = nameNode.textValue();
            }
            JsonNode inputs = layer.get("inputs");
            layers.add(new LayerSpec(type, name, attributes(layer, path, List.of("type", "name", "inputs")),
                    inputs == null ? null : names(inputs, path + ".inputs")));
        }
        return layers;
    }

    private ComponentSpec component(JsonNode node, String path) {
        if (node.isTextual() && !node.textValue().isBlank()) return ComponentSpec.of(node.textValue()); // shorthand: "loss": "mse"
        if (!node.isObject()) {
            String example = path.equals("loss") ? "{\"type\": \"cross_entropy\"}" : "{\"type\": \"adam\", \"learning_rate\": 0.001}";
            throw error(path, "expected an object such as " + example + " but found " + describe(node));
        }
        String type = typeOf(node, path, path.equals("loss") ? "\"cross_entropy\"" : "\"adam\"");
        return new ComponentSpec(type, attributes(node, path, List.of("type")));
    }

    private String typeOf(JsonNode object, String path, String example) {
        JsonNode type = object.get("type");
        if (type == null) {
            throw error(path, "missing \"type\"; add e.g. \"type\": " + example + " (run 'propel plugins' to list the types)");
        }
        if (!type.isTextual() || type.textValue().isBlank()) {
            throw error(path + ".type", "expected a type id string such as " + example + " but found " + describe(type));
        }
        return type.textValue();
    }

    private Map<String, Object> attributes(JsonNode object, String path, List<String> special) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (special.contains(e.getKey())) continue;
            attributes.put(e.getKey(), value(e.getValue(), path + "." + e.getKey()));
        }
        return attributes;
    }

    /** A JSON value as an attribute value: Integer/Long, Double, String, Boolean, or a List of those. */
    private Object value(JsonNode node, String path) {
        if (node.isInt()) return node.intValue();
        if (node.isLong()) return node.longValue();
        if (node.isBigInteger()) throw error(path, "the integer " + node.asText() + " is too large");
        if (node.isNumber()) return node.doubleValue();
        if (node.isTextual()) return node.textValue();
        if (node.isBoolean()) return node.booleanValue();
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) list.add(value(node.get(i), path + "[" + i + "]"));
            return list;
        }
        if (node.isNull()) {
            throw error(path, "null is not a valid value; leave the key out to use the default");
        }
        throw error(path, "expected a number, string, boolean or list but found " + describe(node)
                + "; attributes cannot be nested objects");
    }

    private SpecException error(String path, String message) {
        return new SpecException(source, path, message);
    }

    static String describe(JsonNode n) {
        if (n == null || n.isNull()) return "null";
        if (n.isObject()) return "an object";
        if (n.isArray()) return n.isEmpty() ? "an empty list" : "a list";
        if (n.isTextual()) return "the string \"" + n.textValue() + "\"";
        if (n.isBoolean()) return n.asText();
        if (n.isNumber()) return "the number " + n.asText();
        return n.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    /** Jackson's message, first line only, with its "[Source: REDACTED ...; line: 2, column: 12]" shortened to "line 2, column 12". */
    static String jacksonMessage(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.replaceAll("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)]", "line $1, column $2");
    }
}
