package dev.propel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.propel.model.Model;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code --init-weights W.json}: initial parameter values, a JSON object from parameter name (as
 * {@code propel inspect} shows it, {@code "<layer>.<parameter>"}) to nested lists in the layer's own
 * layout (dense: weight {@code [units, fan_in]}, bias {@code [units]}). Parameters the file does not
 * name keep the values of their initialiser. Every error names the file, the parameter and what was expected.
 */
final class InitWeights {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InitWeights() {
    }

    /** Reads {@code file} and copies its values into {@code model}'s parameters; nothing is copied if any entry is wrong. */
    static void apply(Path file, Model model) {
        model.loadParameters(read(file, model.parameters()));
    }

    /** The values in {@code file}, checked against the names and shapes of {@code parameters}. */
    static Map<String, Tensor> read(Path file, Map<String, Tensor> parameters) {
        String source = file.toString();
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new SpecException(source, "", "no such file (looked for " + file.toAbsolutePath() + "); check the path given to --init-weights");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new SpecException(source, "", "invalid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SpecException(source, "", (Files.isDirectory(file) ? "is a directory, not a JSON file" : "cannot be read: " + e));
        }
        if (root == null || !root.isObject()) {
            throw new SpecException(source, "", "expected a JSON object from parameter name to nested lists, e.g. "
                    + example(parameters) + "; the model's parameters are " + describe(parameters));
        }
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            Tensor target = parameters.get(e.getKey());
            if (target == null) {
                throw new SpecException(source, e.getKey(), "the model has no such parameter; its parameters are " + describe(parameters));
            }
            float[] data = new float[target.size()];
            fill(source, e.getKey(), e.getValue(), target.shape(), 0, data, 0);
            values.put(e.getKey(), Tensor.wrap(data, target.shape()));
        }
        return values;
    }

    /** Copies the nested list {@code node} of dimension {@code dim} of {@code shape} into {@code out} at {@code at}; returns the next position. */
    private static int fill(String source, String path, JsonNode node, Shape shape, int dim, float[] out, int at) {
        if (dim == shape.rank()) {
            if (!node.isNumber()) {
                throw new SpecException(source, path, "expected a number but found " + node.getNodeType().name().toLowerCase()
                        + " " + node + " (the parameter's shape is " + shape + ")");
            }
            out[at] = node.floatValue();
            return at + 1;
        }
        int n = shape.dim(dim);
        if (!node.isArray() || node.size() != n) {
            String found = node.isArray() ? "a list of " + node.size() : node.getNodeType().name().toLowerCase() + " " + node;
            throw new SpecException(source, path, "expected a list of " + n + " (the parameter's shape is " + shape
                    + ", dimension " + dim + ") but found " + found);
        }
        for (int i = 0; i < n; i++) at = fill(source, path + "[" + i + "]", node.get(i), shape, dim + 1, out, at);
        return at;
    }

    /** "hidden.weight [2, 2], hidden.bias [2]". */
    private static String describe(Map<String, Tensor> parameters) {
        StringJoiner j = new StringJoiner(", ");
        parameters.forEach((name, t) -> j.add(name + " " + t.shape()));
        return j.toString();
    }

    private static String example(Map<String, Tensor> parameters) {
        if (parameters.isEmpty()) return "{}";
        Map.Entry<String, Tensor> first = parameters.entrySet().iterator().next();
        return "{\"" + first.getKey() + "\": " + (first.getValue().shape().rank() == 2 ? "[[0.1, 0.2], [0.3, 0.4]]" : "[0.1, 0.2]") + "}";
    }
}
