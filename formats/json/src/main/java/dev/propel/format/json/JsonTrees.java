package dev.propel.format.json;

import dev.propel.model.ComponentSpec;
import dev.propel.model.DatasetInfo;
import dev.propel.model.LayerInfo;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFormatException;
import dev.propel.model.PluginRef;
import dev.propel.model.PredictionRule;
import dev.propel.model.Producer;
import dev.propel.model.Provenance;
import dev.propel.model.SavedAttributes;
import dev.propel.format.json.JsonValues.Num;
import dev.propel.train.EpochMetrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON trees of a model file's header sections into core records, checking every value.
 * Errors name the file and the JSON path, e.g. {@code layers[2].units}.
 */
final class JsonTrees {
    private final String file;

    JsonTrees(String file) {
        this.file = file;
    }

    ModelFormatException error(String path, String problem) {
        return new ModelFormatException(file + ": " + path + " " + problem);
    }

    // ---------------------------------------------------------------- scalars

    String string(Object n, String path) {
        if (!(n instanceof String s)) throw error(path, "must be a string but is " + describe(n));
        return s;
    }

    String optionalString(Object n, String path, String fallback) {
        return n == null || n == JsonValues.NULL ? fallback : string(n, path);
    }

    long longValue(Object n, String path) {
        Long v = n instanceof Num num ? num.longValue() : null;
        if (v == null) throw error(path, "must be an integer but is " + describe(n));
        return v;
    }

    int intValue(Object n, String path) {
        long v = longValue(n, path);
        if (v != (int) v) throw error(path, "is " + v + ", outside the 32-bit integer range");
        return (int) v;
    }

    /** A float: any JSON number, parsed from its decimal text so the result is correctly rounded. */
    float floatValue(Object n, String path) {
        if (!(n instanceof Num num)) throw error(path, "must be a number but is " + describe(n));
        return num.floatValue();
    }

    double doubleValue(Object n, String path) {
        if (!(n instanceof Num num)) throw error(path, "must be a number but is " + describe(n));
        return num.doubleValue();
    }

    /** A metric: a number, or null for "not measured" (NaN). */
    float metric(Object n, String path) {
        return n == null || n == JsonValues.NULL ? Float.NaN : floatValue(n, path);
    }

    boolean bool(Object n, String path) {
        if (!(n instanceof Boolean b)) throw error(path, "must be true or false but is " + describe(n));
        return b;
    }

    List<Integer> dims(Object n, String path, boolean positive) {
        if (n instanceof Num num && num.integral()) n = List.of(n);
        if (!(n instanceof List<?> list)) throw error(path, "must be a list of integers but is " + describe(n));
        List<Integer> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            int d = intValue(list.get(i), path + "[" + i + "]");
            if (d < (positive ? 1 : 0)) throw error(path + "[" + i + "]", "is " + d + "; dimensions must be " + (positive ? "> 0" : ">= 0"));
            out.add(d);
        }
        return out;
    }

    List<String> strings(Object n, String path) {
        if (!(n instanceof List<?> list)) throw error(path, "must be a list of strings but is " + describe(n));
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) out.add(string(list.get(i), path + "[" + i + "]"));
        return out;
    }

    // ---------------------------------------------------------------- attributes

    /** Every key of {@code obj} but the reserved ones, as canonical attribute values in file order. */
    Map<String, Object> attributes(Map<String, Object> obj, String path, Set<String> reserved) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : obj.entrySet()) {
            if (reserved.contains(e.getKey())) continue;
            out.put(e.getKey(), attributeValue(e.getValue(), path + "." + e.getKey(), true));
        }
        return Collections.unmodifiableMap(out);
    }

    private Object attributeValue(Object n, String path, boolean listAllowed) {
        if (n instanceof Num num && num.integral()) {
            Long v = num.longValue();
            if (v == null) throw error(path, "is " + num.text() + ", beyond the 64-bit integer range");
            return SavedAttributes.canonicalValue(path, path, v);
        }
        if (n instanceof Num num) return num.floatValue();
        if (n instanceof String || n instanceof Boolean) return n;
        if (n instanceof List<?> list && listAllowed) {
            List<Object> items = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) items.add(attributeValue(list.get(i), path + "[" + i + "]", false));
            try {
                return SavedAttributes.canonicalValue(path, path.substring(path.lastIndexOf('.') + 1), items);
            } catch (IllegalArgumentException e) {
                throw error(path, "is a list mixing strings and numbers or holding booleans; list attributes hold "
                        + "only integers, floats or strings");
            }
        }
        throw error(path, "is " + describe(n) + "; attributes are numbers, strings, true/false, or lists of numbers or strings");
    }

    // ---------------------------------------------------------------- sections

    @SuppressWarnings("unchecked")
    Map<String, Object> object(Object n, String path, String example) {
        if (!(n instanceof Map<?, ?> m)) {
            throw error(path, "must be an object" + (example == null ? "" : " like " + example) + " but is " + describe(n));
        }
        return (Map<String, Object>) m;
    }

    List<?> list(Object n, String path) {
        if (!(n instanceof List<?> l)) throw error(path, "must be a list but is " + describe(n));
        return l;
    }

    private static boolean present(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v != null && v != JsonValues.NULL;
    }

    LayerSpec layer(Object node, int i) {
        String path = "layers[" + i + "]";
        Map<String, Object> n = object(node, path, "{\"type\": \"dense\", \"units\": 10}");
        if (!n.containsKey(JsonFields.TYPE)) throw error(path, "has no \"type\" (the layer type id, e.g. \"dense\")");
        String t = string(n.get(JsonFields.TYPE), path + ".type");
        if (t.isEmpty()) throw error(path + ".type", "is empty");
        String name = optionalString(n.get(JsonFields.NAME), path + ".name", null);
        if (name != null && name.isEmpty()) throw error(path + ".name", "is empty; leave it out for a default name");
        List<String> inputs = present(n, JsonFields.INPUTS) ? names(n.get(JsonFields.INPUTS), path + "." + JsonFields.INPUTS) : null;
        return new LayerSpec(t, name, attributes(n, path, Set.of(JsonFields.TYPE, JsonFields.NAME, JsonFields.INPUTS)), inputs);
    }

    /** A list of layer names (or one name, for a single-element list). */
    List<String> names(Object node, String path) {
        if (node instanceof String one) return List.of(one);
        List<?> l = list(node, path);
        List<String> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) out.add(string(l.get(i), path + "[" + i + "]"));
        return out;
    }

    ComponentSpec component(Object node, String path, String example) {
        if (node instanceof String s) return ComponentSpec.of(s);
        Map<String, Object> n = object(node, path, example);
        String type = string(n.get(JsonFields.TYPE), path + ".type");
        if (type.isEmpty()) throw error(path + ".type", "is empty");
        return new ComponentSpec(type, attributes(n, path, Set.of(JsonFields.TYPE)));
    }

    PredictionRule prediction(Object n) {
        ComponentSpec c = component(n, JsonFields.PREDICTION, "{\"type\": \"argmax\"}");
        return new PredictionRule(c.type(), c.attributes());
    }

    Producer producer(Object node) {
        if (node == null) return new Producer("unknown", List.of());
        Map<String, Object> n = object(node, JsonFields.PRODUCER, null);
        List<PluginRef> plugins = new ArrayList<>();
        if (n.containsKey("plugins")) {
            List<?> ps = list(n.get("plugins"), "producer.plugins");
            for (int i = 0; i < ps.size(); i++) {
                String path = "producer.plugins[" + i + "]";
                Map<String, Object> p = object(ps.get(i), path, null);
                plugins.add(new PluginRef(string(p.get("name"), path + ".name"), string(p.get("version"), path + ".version"),
                        p.containsKey("types") ? strings(p.get("types"), path + ".types") : List.of()));
            }
        }
        return new Producer(optionalString(n.get("propel"), "producer.propel", "unknown"), plugins);
    }

    List<LayerInfo> graph(Object node) {
        if (node == null) return List.of();
        List<?> n = list(node, JsonFields.GRAPH);
        List<LayerInfo> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            String path = "graph[" + i + "]";
            Map<String, Object> g = object(n.get(i), path, null);
            out.add(new LayerInfo(string(g.get("name"), path + ".name"), strings(g.get("inputs"), path + ".inputs"),
                    present(g, "input_shape") ? dims(g.get("input_shape"), path + ".input_shape", false) : List.of(),
                    present(g, "output_shape") ? dims(g.get("output_shape"), path + ".output_shape", false) : List.of()));
        }
        return out;
    }

    Provenance provenance(Object node) {
        if (node == null || node == JsonValues.NULL) return null;
        String p = JsonFields.PROVENANCE;
        Map<String, Object> n = object(node, p, null);
        DatasetInfo dataset = null;
        if (present(n, "dataset")) {
            Map<String, Object> d = object(n.get("dataset"), p + ".dataset", null);
            long examples = longValue(d.get("examples"), p + ".dataset.examples");
            if (examples < 0) throw error(p + ".dataset.examples", "is negative");
            dataset = new DatasetInfo(string(d.get("name"), p + ".dataset.name"),
                    string(d.get("content_hash"), p + ".dataset.content_hash"), examples);
        }
        List<EpochMetrics> metrics = new ArrayList<>();
        if (present(n, "metrics")) {
            List<?> ms = list(n.get("metrics"), p + ".metrics");
            for (int i = 0; i < ms.size(); i++) {
                String mp = p + ".metrics[" + i + "]";
                Map<String, Object> m = object(ms.get(i), mp, null);
                metrics.add(new EpochMetrics(intValue(m.get("epoch"), mp + ".epoch"), metric(m.get("train_loss"), mp + ".train_loss"),
                        metric(m.get("train_accuracy"), mp + ".train_accuracy"),
                        metric(m.get("validation_loss"), mp + ".validation_loss"),
                        metric(m.get("validation_accuracy"), mp + ".validation_accuracy"),
                        metric(m.get("learning_rate"), mp + ".learning_rate"),
                        present(m, "seconds") ? doubleValue(m.get("seconds"), mp + ".seconds") : 0,
                        present(m, "samples") ? longValue(m.get("samples"), mp + ".samples") : 0));
            }
        }
        int epochs = intValue(n.get("epochs"), p + ".epochs");
        if (epochs < 0) throw error(p + ".epochs", "is negative");
        Map<String, Object> settings = present(n, "settings") ? object(n.get("settings"), p + ".settings", null) : Map.of();
        return new Provenance(string(n.get("algorithm"), p + ".algorithm"), epochs,
                optionalString(n.get("gradient_descent"), p + ".gradient_descent", "mini_batch"),
                present(n, "batch_size") ? intValue(n.get("batch_size"), p + ".batch_size") : 0,
                present(n, "seed") ? longValue(n.get("seed"), p + ".seed") : 0,
                present(n, "shuffle") && bool(n.get("shuffle"), p + ".shuffle"),
                present(n, "validation_split") ? doubleValue(n.get("validation_split"), p + ".validation_split") : 0,
                present(n, "clip_norm") ? floatValue(n.get("clip_norm"), p + ".clip_norm") : 0f,
                dataset, metrics,
                present(n, "wall_seconds") ? doubleValue(n.get("wall_seconds"), p + ".wall_seconds") : 0,
                present(n, "threads") ? intValue(n.get("threads"), p + ".threads") : 0,
                optionalString(n.get("stop_reason"), p + ".stop_reason", ""),
                attributes(settings, p + ".settings", Set.of()));
    }

    static String describe(Object n) {
        if (n == null) return "missing";
        if (n == JsonValues.NULL) return "null";
        if (n instanceof Map<?, ?>) return "an object";
        if (n instanceof List<?>) return "a list";
        if (n instanceof String s) return "the string \"" + s + "\"";
        if (n instanceof Boolean b) return b.toString();
        if (n instanceof Num num) return "the number " + num.text();
        return n.toString();
    }
}
