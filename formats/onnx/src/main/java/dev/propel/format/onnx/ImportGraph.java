package dev.propel.format.onnx;

import dev.propel.model.LayerInfo;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFormatException;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph on its way to becoming a Propel model. Tracks each ONNX value as one of: a constant (an
 * initializer or a folded {@code Constant}), or the output of a Propel node ({@code "input"} or a layer),
 * with its per-sample shape. Mappings read their inputs through it and add layers to it.
 */
final class ImportGraph {
    private final String source;
    private final long opset;
    private final long staticBatch;
    private final boolean fromPropel;
    private Shape modelInputShape;
    private final Set<String> graphOutputs;
    private final Map<String, Tensor> floatConstants = new HashMap<>();
    private final Map<String, long[]> intConstants = new HashMap<>();
    private final Map<String, String> producer = new HashMap<>();
    private final Map<String, Shape> shapes = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();
    private final Set<Integer> consumed = new HashSet<>();
    private final Set<String> layerNames = new HashSet<>();
    private final List<LayerSpec> layers = new ArrayList<>();
    private final List<LayerInfo> infos = new ArrayList<>();
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> layerState = new LinkedHashMap<>();
    private final Map<String, Deferred> deferred = new HashMap<>();
    private final Set<String> zeros = new HashSet<>();

    /**
     * A value that is not a Propel value (yet): a view of a recurrent operator's time-major output, which
     * becomes a layer's output when a node reads it in Propel's layout ({@link RecurrentImport}).
     */
    interface Deferred {
        /** Adds the layer that computes {@code value} (or refuses, naming {@code reader}, which may be null for a graph output). */
        void materialize(ImportGraph g, OnnxNode reader, String value);

        /** The value's shape with the batch as {@link ShapeFolding#BATCH}. */
        long[] dims();
    }

    /**
     * {@code staticBatch}: the fixed batch size of the graph input, or -1 when it is symbolic; {@code fromPropel}:
     * the file was exported by Propel (its node names follow docs/onnx.md, "How names map").
     */
    ImportGraph(String source, long opset, long staticBatch, boolean fromPropel, List<OnnxNode> nodes, Set<String> graphOutputs) {
        this.source = source;
        this.fromPropel = fromPropel;
        this.opset = opset;
        this.staticBatch = staticBatch;
        this.graphOutputs = Set.copyOf(graphOutputs);
        layerNames.add(LayerInfo.MODEL_INPUT);
        for (OnnxNode n : nodes) {
            for (String in : n.inputs()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        }
    }

    String source() {
        return source;
    }

    long opset() {
        return opset;
    }

    boolean fromPropel() {
        return fromPropel;
    }

    long staticBatch() {
        return staticBatch;
    }

    void modelInput(String value, Shape perSample) {
        producer.put(value, LayerInfo.MODEL_INPUT);
        shapes.put(value, perSample);
        modelInputShape = perSample;
    }

    /** The per-sample shape of the model input. */
    Shape modelInputShape() {
        return modelInputShape;
    }

    void constant(String value, Tensor t) {
        floatConstants.put(value, t);
    }

    void constant(String value, long[] v) {
        intConstants.put(value, v);
    }

    boolean isConstant(String value) {
        return floatConstants.containsKey(value) || intConstants.containsKey(value);
    }

    /** The float constant {@code value}, or null when it is not one. */
    Tensor floatConstant(String value) {
        return floatConstants.get(value);
    }

    /** The integer constant {@code value}, or null when it is not one. */
    long[] intConstant(String value) {
        return intConstants.get(value);
    }

    /** Whether {@code value} is computed from the model input (so a layer can read it). */
    boolean isComputed(String value) {
        return producer.containsKey(value);
    }

    /** The per-sample shape of a computed value. */
    Shape shape(String value) {
        return shapes.get(value);
    }

    /** Input {@code i} of {@code node}, which must be computed from the model input (not a constant). */
    String computedInput(OnnxNode node, int i) {
        String v = node.input(i);
        Deferred d = deferred.remove(v);
        if (d != null) d.materialize(this, node, v);
        if (isComputed(v)) return v;
        if (isConstant(v)) {
            throw node.refuse(source, "reads the constant '" + v + "' as input " + i + " where Propel needs a value computed"
                    + " from the model input; Propel has no layer for this operator on constants");
        }
        throw node.refuse(source, "reads '" + v + "', which no earlier node writes and which is neither the graph input nor an"
                + " initializer; the graph is damaged or not in topological order");
    }

    /** Makes {@code output} another name of {@code input} (Identity, inference-time Dropout). */
    void alias(String output, String input) {
        if (isConstant(input)) {
            if (floatConstants.containsKey(input)) floatConstants.put(output, floatConstants.get(input));
            else intConstants.put(output, intConstants.get(input));
            return;
        }
        producer.put(output, producer.get(input));
        shapes.put(output, shapes.get(input));
    }

    /** The node reading {@code value} when exactly one node does and the value is not a graph output; else null. */
    OnnxNode soleConsumer(String value) {
        List<OnnxNode> c = consumers.getOrDefault(value, List.of());
        if (c.size() != 1 || graphOutputs.contains(value)) return null;
        return c.getFirst();
    }

    /** Whether some node reads {@code value} or it is a graph output. */
    boolean isRead(String value) {
        return !consumers.getOrDefault(value, List.of()).isEmpty() || graphOutputs.contains(value);
    }

    /** Marks a later node as already imported (fused into an earlier one). */
    void consume(OnnxNode node) {
        consumed.add(node.index());
    }

    boolean isConsumed(OnnxNode node) {
        return consumed.contains(node.index());
    }

    /**
     * Adds a Propel layer made from {@code node}: named after the node, reading the computed values
     * {@code inputs}, with {@code parameters} by short name, writing {@code output} of per-sample shape
     * {@code outputShape}.
     */
    void addLayer(OnnxNode node, String type, Map<String, Object> attributes, List<String> inputs,
                  Map<String, Tensor> layerParameters, String output, Shape outputShape) {
        addLayer(node, type, attributes, inputs, layerParameters, Map.of(), output, outputShape);
    }

    /** As {@link #addLayer(OnnxNode, String, Map, List, Map, String, Shape)}, with the layer's state tensors (batch_norm's running statistics). */
    void addLayer(OnnxNode node, String type, Map<String, Object> attributes, List<String> inputs,
                  Map<String, Tensor> layerParameters, Map<String, Tensor> state, String output, Shape outputShape) {
        String name = uniqueName(node, type);
        List<String> sources = new ArrayList<>();
        for (String in : inputs) sources.add(producer.get(in));
        String previous = layers.isEmpty() ? LayerInfo.MODEL_INPUT : layers.getLast().name();
        boolean plain = sources.equals(List.of(previous));
        layers.add(new LayerSpec(type, name, attributes, plain ? null : sources));
        infos.add(new LayerInfo(name, sources, dims(shapes.get(inputs.getFirst())), dims(outputShape)));
        layerParameters.forEach((local, t) -> parameters.put(name + "." + local, t));
        state.forEach((local, t) -> layerState.put(name + "." + local, t));
        producer.put(output, name);
        shapes.put(output, outputShape);
    }

    /** The Propel node (layer name or "input") that computes {@code value}. */
    String producerOf(String value) {
        Deferred d = deferred.remove(value);
        if (d != null) d.materialize(this, null, value);
        return producer.get(value);
    }

    void defer(String value, Deferred d) {
        deferred.put(value, d);
    }

    /** The deferred value {@code value}, or null when it is not one. */
    Deferred deferred(String value) {
        return deferred.get(value);
    }

    /** Marks {@code value} as all zeros of a shape that may depend on the batch (a recurrent operator's initial state). */
    void zeros(String value) {
        zeros.add(value);
    }

    boolean isZeros(String value) {
        return zeros.contains(value);
    }

    List<LayerSpec> layers() {
        return layers;
    }

    List<LayerInfo> infos() {
        return infos;
    }

    Map<String, Tensor> parameters() {
        return parameters;
    }

    Map<String, Tensor> layerState() {
        return layerState;
    }

    /** The node's name made a Propel layer name (letters, digits, '_' and '-'), unique in the model. */
    private String uniqueName(OnnxNode node, String type) {
        String base = node.name().replaceAll("[^A-Za-z0-9_-]+", "_").replaceAll("^_+|_+$", "");
        if (base.isEmpty()) base = type + "_" + layers.size();
        String name = base;
        for (int i = 2; !layerNames.add(name); i++) name = base + "_" + i;
        return name;
    }

    private static List<Integer> dims(Shape s) {
        List<Integer> l = new ArrayList<>();
        if (s != null) for (int d : s.dims()) l.add(d);
        return l;
    }

    ModelFormatException refuse(OnnxNode node, String why) {
        return node.refuse(source, why);
    }
}
