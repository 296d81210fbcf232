package dev.propel.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFormatException;
import dev.propel.model.ModelSpec;
import dev.propel.model.OptimizerState;
import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JSON form of a model, or a model spec (the same object without tensors). The header
 * sections are read as trees and checked; tensors stream straight into the receiver's tensors when
 * the graph came before them (as Propel writes it), and are buffered otherwise (keys in any order are
 * accepted, e.g. after {@code jq -S}). A tensor's declared size is checked against the bytes left in
 * the file before it is allocated. Every problem is a {@link ModelFormatException} naming the file
 * and the JSON path or line and column.
 */
final class JsonModelReader {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final Pattern VERSION = Pattern.compile("(\\d{1,5})\\.(\\d{1,5})");
    private static final List<String> HEADER_KEYS = List.of(JsonFields.PRODUCER, JsonFields.INPUT, JsonFields.LAYERS,
            JsonFields.LOSS, JsonFields.OPTIMIZER, JsonFields.PREDICTION, JsonFields.GRAPH, JsonFields.PROVENANCE,
            JsonFields.OUTPUTS);
    /** Every top-level key this version knows: a spec with another key is refused (a typo must not pass silently). */
    static final List<String> KNOWN_KEYS = List.of(JsonFields.FORMAT, JsonFields.FORMAT_VERSION, JsonFields.PRODUCER,
            JsonFields.INPUT, JsonFields.LAYERS, JsonFields.OUTPUTS, JsonFields.LOSS, JsonFields.OPTIMIZER, JsonFields.PREDICTION,
            JsonFields.GRAPH, JsonFields.PROVENANCE, JsonFields.TENSORS, JsonFields.STATE, JsonFields.OPTIMIZER_STATE);

    private final String file;
    private final long length;
    private final boolean specOnly;
    private final TensorReceiver receiver;
    private final JsonTrees trees;
    private final Map<String, Object> sections = new HashMap<>();
    private JsonParser p;
    private boolean begun;
    private boolean sawTensors;
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> state = new LinkedHashMap<>();
    private final Map<String, Tensor> layerState = new LinkedHashMap<>();
    private final java.util.Set<String> layerStateNames = new java.util.HashSet<>();
    /** Tensors read before the graph; handed to the receiver once it is known. */
    private final List<Buffered> buffered = new ArrayList<>();
    private final java.util.Set<String> parameterNames = new java.util.HashSet<>();
    private final java.util.Set<String> stateNames = new java.util.HashSet<>();
    private String stateType;
    private long stepCount = -1;
    private boolean hasState;

    private record Buffered(String name, JsonTensorRole role, Tensor values) {
    }

    private JsonModelReader(String file, long length, boolean specOnly, TensorReceiver receiver) {
        this.file = file;
        this.length = length;
        this.specOnly = specOnly;
        this.receiver = receiver;
        this.trees = new JsonTrees(file);
    }

    /** Reads a model; {@code length} is the input's size in bytes, used to bound allocations. */
    static SavedModel readModel(String file, InputStream in, long length, TensorReceiver receiver) throws IOException {
        return new JsonModelReader(file, length, false, receiver).run(in);
    }

    /** Reads the model spec part of a JSON file (tensors, if any, are skipped without being stored). */
    static ModelSpec readSpec(String file, InputStream in, long length) throws IOException {
        return new JsonModelReader(file, length, true, TensorReceiver.allocating()).run(in).spec();
    }

    private SavedModel run(InputStream in) throws IOException {
        try (JsonParser parser = FACTORY.createParser(in)) {
            p = parser;
            return parse();
        } catch (ModelFormatException e) {
            throw e;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            String what = e.getOriginalMessage();
            if (e instanceof com.fasterxml.jackson.core.io.JsonEOFException) {
                what = "the file is truncated (" + what + ")";
            }
            throw new ModelFormatException(file + ": " + where + "not valid JSON: " + what, e);
        } catch (RuntimeException e) {
            throw new ModelFormatException(file + ": cannot read the model" + location() + ": " + e, e);
        }
    }

    private String location() {
        if (p == null) return "";
        JsonLocation at = p.currentLocation();
        return " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private SavedModel parse() throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) throw new ModelFormatException(file + ": the file is empty; a model or spec is a JSON object");
        if (first != JsonToken.START_OBJECT) {
            throw new ModelFormatException(file + ": line 1: a model or spec must be a JSON object {...} but the file starts with "
                    + p.getText() + (p.getText().startsWith("\u0089") ? " (is it a .pb file?)" : ""));
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case JsonFields.FORMAT -> checkFormat(trees.string(JsonValues.read(p, file), key));
                case JsonFields.FORMAT_VERSION -> checkVersion(trees.string(JsonValues.read(p, file), key));
                case JsonFields.TENSORS -> {
                    if (specOnly) p.skipChildren();
                    else tensorList(JsonFields.TENSORS, JsonTensorRole.PARAMETER);
                    sawTensors = true;
                }
                case JsonFields.STATE -> {
                    if (specOnly) p.skipChildren();
                    else tensorList(JsonFields.STATE, JsonTensorRole.LAYER_STATE);
                }
                case JsonFields.OPTIMIZER_STATE -> {
                    if (specOnly) p.skipChildren();
                    else optimizerState();
                }
                default -> {
                    if (HEADER_KEYS.contains(key)) {
                        if (sections.put(key, JsonValues.read(p, file)) != null) {
                            throw new ModelFormatException(file + ": \"" + key + "\" appears twice" + location());
                        }
                    } else if (specOnly) {
                        throw new ModelFormatException(file + ": unknown key \"" + key + "\"" + location() + "; a model spec has "
                                + "\"input\", \"layers\", \"loss\" and optionally \"optimizer\" and \"outputs\" (a saved model's other"
                                + " sections are accepted too: " + KNOWN_KEYS + ")");
                    } else {
                        p.skipChildren(); // in a model file: a key of a newer version, ignored
                    }
                }
            }
        }
        if (p.nextToken() != null) {
            throw new ModelFormatException(file + ": unexpected content after the model's closing brace" + location());
        }
        SavedModel header = header();
        if (!begun) {
            receiver.begin(header);
            begun = true;
        }
        for (Buffered b : buffered) {
            Tensor target = destination(b.name(), b.role(), b.values().shape());
            target.copyFrom(b.values());
            tensors(b.role()).put(b.name(), target);
        }
        if (hasState && (stateType == null || stepCount < 0)) {
            throw new ModelFormatException(file + ": optimizer_state needs \"type\" and \"step_count\"");
        }
        OptimizerState optimizerState = hasState ? new OptimizerState(stateType, stepCount, state) : null;
        return header.withTensors(parameters, layerState, optimizerState);
    }

    private void checkFormat(String format) {
        if (!format.equals(JsonFields.FORMAT_NAME)) {
            throw new ModelFormatException(file + ": \"format\" is \"" + format + "\", not \"" + JsonFields.FORMAT_NAME
                    + "\"; this is not a Propel model file");
        }
    }

    private void checkVersion(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new ModelFormatException(file + ": \"format_version\" is \"" + version + "\"; expected <major>.<minor>, e.g. \"1.0\"");
        }
        int major = Integer.parseInt(m.group(1));
        if (major > JsonFields.MAJOR) {
            throw new ModelFormatException(file + ": written in JSON model format version " + version
                    + ", newer than this Propel reads (" + JsonFields.MAJOR + ".x); upgrade Propel to load it");
        }
        if (major < 1) {
            throw new ModelFormatException(file + ": format version " + version + " was never used; the file is corrupt");
        }
    }

    /** The model the header sections describe, without tensors. */
    private SavedModel header() {
        Object input = sections.get(JsonFields.INPUT);
        Object layers = sections.get(JsonFields.LAYERS);
        Object loss = sections.get(JsonFields.LOSS);
        if (input == null || layers == null || loss == null) {
            List<String> missing = new ArrayList<>();
            if (input == null) missing.add("\"input\" (e.g. [784])");
            if (layers == null) missing.add("\"layers\" (e.g. [{\"type\": \"dense\", \"units\": 10}])");
            if (loss == null) missing.add("\"loss\" (e.g. {\"type\": \"cross_entropy\"})");
            throw new ModelFormatException(file + ": the model has no " + String.join(", no ", missing)
                    + "; keys found: " + sections.keySet());
        }
        List<Integer> dims = trees.dims(input, JsonFields.INPUT, true);
        if (dims.isEmpty()) throw new ModelFormatException(file + ": \"input\" is empty; give the per-example shape, e.g. [784]");
        if (!(layers instanceof List<?> layerList)) {
            throw new ModelFormatException(file + ": \"layers\" must be a list of layer objects but is " + JsonTrees.describe(layers));
        }
        List<LayerSpec> layerSpecs = new ArrayList<>();
        for (int i = 0; i < layerList.size(); i++) layerSpecs.add(trees.layer(layerList.get(i), i));
        var lossSpec = trees.component(loss, JsonFields.LOSS, "{\"type\": \"cross_entropy\"}");
        Object opt = sections.get(JsonFields.OPTIMIZER);
        var optSpec = opt == null || opt == JsonValues.NULL ? null : trees.component(opt, JsonFields.OPTIMIZER, "{\"type\": \"adam\", \"learning_rate\": 0.001}");
        Object prediction = sections.get(JsonFields.PREDICTION);
        OptimizerState stateInfo = hasState && stateType != null ? new OptimizerState(stateType, Math.max(0, stepCount), Map.of()) : null;
        Object outputs = sections.get(JsonFields.OUTPUTS);
        List<String> outputNames = outputs == null || outputs == JsonValues.NULL ? List.of() : trees.names(outputs, JsonFields.OUTPUTS);
        try {
            return new SavedModel(trees.producer(sections.get(JsonFields.PRODUCER)),
                    new ModelSpec(dims, layerSpecs, lossSpec, optSpec, outputNames), trees.graph(sections.get(JsonFields.GRAPH)),
                    prediction == null ? dev.propel.model.PredictionRule.argmax() : trees.prediction(prediction),
                    trees.provenance(sections.get(JsonFields.PROVENANCE)), Map.of(), stateInfo);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- tensors

    private void optimizerState() throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ModelFormatException(file + ": \"optimizer_state\" must be an object" + location());
        }
        hasState = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "type" -> stateType = trees.string(JsonValues.read(p, file), "optimizer_state.type");
                case "step_count" -> {
                    stepCount = trees.longValue(JsonValues.read(p, file), "optimizer_state.step_count");
                    if (stepCount < 0) throw trees.error("optimizer_state.step_count", "is negative");
                }
                case "tensors" -> tensorList("optimizer_state.tensors", JsonTensorRole.OPTIMIZER_STATE);
                default -> p.skipChildren();
            }
        }
    }

    private void tensorList(String path, JsonTensorRole role) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new ModelFormatException(file + ": \"" + path + "\" must be a list of tensor objects" + location());
        }
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            tensor(path + "[" + i + "]", role);
        }
    }

    /** Reads one tensor object: name, shape, dtype, crc32c and data, in any order. */
    private void tensor(String path, JsonTensorRole role) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ModelFormatException(file + ": " + path + " must be a tensor object {\"name\", \"shape\", \"data\"}" + location());
        }
        String name = null;
        Shape shape = null;
        Integer crc = null;
        Tensor target = null;
        float[] early = null;
        int count = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "name" -> {
                    name = trees.string(JsonValues.read(p, file), path + ".name");
                    if (name.isEmpty()) throw trees.error(path + ".name", "is empty");
                }
                case "shape" -> shape = shape(trees.dims(JsonValues.read(p, file), path + ".shape", false), path);
                case "dtype" -> {
                    String dtype = trees.string(JsonValues.read(p, file), path + ".dtype");
                    if (!dtype.equals("float32")) {
                        throw trees.error(path + ".dtype", "is \"" + dtype + "\", which this reader cannot load; only \"float32\" is supported");
                    }
                }
                case "crc32c" -> crc = crc(trees.string(JsonValues.read(p, file), path + ".crc32c"), path);
                case "data" -> {
                    if (name != null && shape != null) {
                        target = target(name, role, shape, path);
                        count = values(target.data(), shape.size(), path);
                    } else {
                        early = valuesOfUnknownCount(path);
                    }
                }
                default -> p.skipChildren();
            }
        }
        String what = (name == null ? path : "tensor '" + name + "'");
        if (name == null) throw trees.error(path, "has no \"name\"");
        if (shape == null) throw new ModelFormatException(file + ": " + what + " has no \"shape\"");
        if (target == null && early == null) throw new ModelFormatException(file + ": " + what + " has no \"data\"");
        if (early != null) {
            if (early.length != shape.size()) {
                throw new ModelFormatException(file + ": " + what + " has " + early.length + " values but its shape " + shape
                        + " needs " + shape.size());
            }
            target = target(name, role, shape, path);
            System.arraycopy(early, 0, target.data(), 0, early.length);
            count = early.length;
        }
        if (count != shape.size()) {
            throw new ModelFormatException(file + ": " + what + " has " + count + " values but its shape " + shape + " needs " + shape.size());
        }
        if (crc != null) {
            int actual = TensorChecksum.of(target.data(), shape.size());
            if (actual != crc) {
                throw new ModelFormatException(file + ": " + what + ": its values do not match its crc32c " + TensorChecksum.hex(crc)
                        + " (computed " + TensorChecksum.hex(actual) + "): the file was damaged or edited. If you changed the values "
                        + "on purpose, delete the tensor's \"crc32c\" entry");
            }
        }
        if (!(switch (role) {
            case PARAMETER -> parameterNames;
            case LAYER_STATE -> layerStateNames;
            case OPTIMIZER_STATE -> stateNames;
        }).add(name)) {
            throw new ModelFormatException(file + ": " + what + " appears twice");
        }
        Tensor done = target;
        if (buffered.stream().noneMatch(b -> b.values() == done)) {
            tensors(role).put(name, done);
        }
    }

    private Shape shape(List<Integer> dims, String path) {
        long n = 1;
        for (int d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw trees.error(path + ".shape", dims + " has more elements than one tensor can hold (" + (Integer.MAX_VALUE - 8) + ")");
            }
        }
        int[] a = new int[dims.size()];
        for (int i = 0; i < a.length; i++) a[i] = dims.get(i);
        return Shape.of(a);
    }

    private Integer crc(String text, String path) {
        if (!text.matches("0x[0-9a-fA-F]{8}")) throw trees.error(path + ".crc32c", "is \"" + text + "\"; expected 0x and 8 hex digits");
        return Integer.parseUnsignedInt(text.substring(2), 16);
    }

    /**
     * Where to put a tensor's values, after checking that its declared size fits in the rest of the
     * file (each value takes at least two characters). Straight into the receiver once it has the
     * graph; otherwise a buffer handed over later.
     */
    private Tensor target(String name, JsonTensorRole role, Shape shape, String path) {
        long remaining = length - Math.max(0, p.currentLocation().getByteOffset());
        if ((long) shape.size() * 2 > remaining + 1) {
            throw new ModelFormatException(file + ": tensor '" + name + "' declares shape " + shape + " (" + shape.size()
                    + " values) but only " + remaining + " bytes remain in the file; it is truncated or corrupt");
        }
        if (!begun && canBegin()) {
            receiver.begin(header());
            begun = true;
        }
        if (!begun) {
            Tensor t = Tensor.zeros(shape);
            buffered.add(new Buffered(name, role, t));
            return t;
        }
        return destination(name, role, shape);
    }

    private Map<String, Tensor> tensors(JsonTensorRole role) {
        return switch (role) {
            case PARAMETER -> parameters;
            case LAYER_STATE -> layerState;
            case OPTIMIZER_STATE -> state;
        };
    }

    private Tensor destination(String name, JsonTensorRole role, Shape shape) {
        Tensor t = switch (role) {
            case PARAMETER -> receiver.parameter(name, shape);
            case LAYER_STATE -> receiver.layerState(name, shape);
            case OPTIMIZER_STATE -> receiver.optimizerState(name, shape);
        };
        if (t == null || !t.shape().equals(shape)) {
            throw new IllegalStateException("the tensor receiver gave " + (t == null ? "null" : t.shape()) + " for '" + name + "' " + shape);
        }
        return t;
    }

    /** The graph is known once input, layers, loss and graph were read (Propel writes them before the tensors). */
    private boolean canBegin() {
        return sections.containsKey(JsonFields.INPUT) && sections.containsKey(JsonFields.LAYERS)
                && sections.containsKey(JsonFields.LOSS) && sections.containsKey(JsonFields.GRAPH);
    }

    /** Reads the data array into {@code out}, at most {@code max} values; returns how many there were. */
    private int values(float[] out, int max, String path) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) throw trees.error(path + ".data", "must be a list of numbers");
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (n >= max) {
                throw new ModelFormatException(file + ": " + path + ".data has more values than its shape's " + max + location());
            }
            out[n++] = value(t, path);
        }
        return n;
    }

    /** A data array met before the tensor's shape: grown as read, bounded by the file's size. */
    private float[] valuesOfUnknownCount(String path) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) throw trees.error(path + ".data", "must be a list of numbers");
        float[] out = new float[64];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (n == out.length) out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 8, 2L * n));
            out[n++] = value(t, path);
        }
        return Arrays.copyOf(out, n);
    }

    /** One value: a number (NaN and ±Infinity included) or the string "0x…" of its raw bits. */
    private float value(JsonToken t, String path) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            return Float.parseFloat(p.getText());
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            if (s.length() == 10 && s.startsWith("0x")) {
                try {
                    return Float.intBitsToFloat(Integer.parseUnsignedInt(s.substring(2), 16));
                } catch (NumberFormatException e) {
                    // fall through to the error
                }
            }
            if (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity")) return Float.parseFloat(s);
            throw new ModelFormatException(file + ": " + path + ".data holds the string \"" + s
                    + "\"; values are numbers, NaN, Infinity, -Infinity or \"0x\" and 8 hex digits of raw bits" + location());
        }
        throw new ModelFormatException(file + ": " + path + ".data holds " + t.asString() + "; values are numbers" + location());
    }
}
