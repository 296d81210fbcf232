package dev.propel.model;

import dev.propel.PluginInfo;
import dev.propel.Propel;
import dev.propel.spi.Layer;
import dev.propel.spi.Optimizer;
import dev.propel.spi.PropelException;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A model as a file holds it, in no particular format: who wrote it ({@link Producer}); the graph
 * (a {@link ModelSpec} whose layer attributes are the resolved ones, plus each layer's inputs and
 * shapes in {@code graph}); how it predicts; how it was trained ({@link Provenance}, optional); every
 * parameter tensor and every layer state tensor (see {@link Layer#state()}) by full name; and optionally
 * the optimizer's state.
 *
 * <p>The layers' inputs live in {@code graph}; the spec's layers carry them too ({@link LayerSpec#inputs()},
 * set from the graph wherever a layer does not simply read the layer before it).
 *
 * <p>Made from a live model with {@link #builder(Propel, Model)}; its tensors are then the model's own
 * (no copy), so save it before training further. Formats write and read this record; core holds no
 * format code.
 */
public record SavedModel(Producer producer, ModelSpec spec, List<LayerInfo> graph, PredictionRule prediction,
                         Provenance provenance, Map<String, Tensor> parameters, Map<String, Tensor> layerState,
                         OptimizerState optimizerState) {

    /**
     * Checks that graph and spec agree (one entry per layer, same names, unique non-empty names) and copies the
     * collections; throws {@link PropelException} naming the first disagreement.
     */
    public SavedModel {
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(prediction, "prediction");
        spec = withNames(spec);
        graph = graph == null || graph.isEmpty() ? specGraph(spec) : List.copyOf(graph);
        if (graph.size() != spec.layers().size()) {
            throw new PropelException("the graph describes " + graph.size() + " layers but the spec has "
                    + spec.layers().size());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < graph.size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            if (layer.type().isEmpty()) throw new PropelException("layer " + i + " has an empty type id");
            if (layer.name().isEmpty() || !names.add(layer.name())) {
                throw new PropelException("layer " + i + " (" + layer.type() + ") has "
                        + (layer.name().isEmpty() ? "an empty name" : "the name '" + layer.name() + "' of an earlier layer")
                        + "; layer names must be unique and non-empty");
            }
            if (!graph.get(i).name().equals(layer.name())) {
                throw new PropelException("graph entry " + i + " is named '" + graph.get(i).name()
                        + "' but layer " + i + " is named '" + spec.layers().get(i).name() + "'");
            }
        }
        spec = withGraphInputs(spec, graph);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters == null ? Map.of() : parameters));
        layerState = Collections.unmodifiableMap(new LinkedHashMap<>(layerState == null ? Map.of() : layerState));
    }

    /** A model without layer state tensors. */
    public SavedModel(Producer producer, ModelSpec spec, List<LayerInfo> graph, PredictionRule prediction,
                      Provenance provenance, Map<String, Tensor> parameters, OptimizerState optimizerState) {
        this(producer, spec, graph, prediction, provenance, parameters, Map.of(), optimizerState);
    }

    /** The saved model with other parameter tensors (e.g. the same graph with values read from a file). */
    public SavedModel withTensors(Map<String, Tensor> newParameters, OptimizerState newState) {
        return withTensors(newParameters, layerState, newState);
    }

    /** The saved model with other parameter, layer state and optimizer state tensors. */
    public SavedModel withTensors(Map<String, Tensor> newParameters, Map<String, Tensor> newLayerState, OptimizerState newState) {
        return new SavedModel(producer, spec, graph, prediction, provenance, newParameters, newLayerState, newState);
    }

    /** The same model with another provenance. */
    public SavedModel withProvenance(Provenance newProvenance) {
        return new SavedModel(producer, spec, graph, prediction, newProvenance, parameters, layerState, optimizerState);
    }

    /** True when some layer reads another than the one before it: the model is a graph, not a plain stack. */
    public boolean isGraph() {
        return spec.isGraph();
    }

    /** Total number of scalars in the parameter tensors. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : parameters.values()) n += t.size();
        return n;
    }

    /** Layers without a name get {@code <type>_<index>}, the name {@link ModelBuilder} would give them. */
    private static ModelSpec withNames(ModelSpec spec) {
        boolean allNamed = spec.layers().stream().allMatch(l -> l.name() != null);
        if (allNamed) return spec;
        List<LayerSpec> named = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec l = spec.layers().get(i);
            named.add(l.name() != null ? l : l.named(l.type() + "_" + i));
        }
        return spec.withLayers(named);
    }

    /** The spec's layers with the inputs the graph gives them, where those are not simply the layer before. */
    private static ModelSpec withGraphInputs(ModelSpec spec, List<LayerInfo> graph) {
        List<LayerSpec> layers = new ArrayList<>();
        boolean changed = false;
        for (int i = 0; i < graph.size(); i++) {
            LayerSpec l = spec.layers().get(i);
            List<String> inputs = graph.get(i).inputs();
            boolean plain = inputs.equals(List.of(previous(spec, i)));
            LayerSpec wired = plain ? l : new LayerSpec(l.type(), l.name(), l.attributes(), inputs);
            changed |= wired != l;
            layers.add(wired);
        }
        return changed ? spec.withLayers(layers) : spec;
    }

    private static String previous(ModelSpec spec, int i) {
        return i == 0 ? LayerInfo.MODEL_INPUT : spec.layers().get(i - 1).name();
    }

    /** The graph a spec describes: each layer reads its named inputs, or the one before it. Shapes unknown. */
    public static List<LayerInfo> specGraph(ModelSpec spec) {
        List<LayerInfo> g = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec l = spec.layers().get(i);
            List<String> inputs = l.inputs() != null ? l.inputs() : List.of(previous(spec, i));
            g.add(new LayerInfo(l.name(), inputs, List.of(), List.of()));
        }
        return g;
    }

    /** Starts a saved model from a live model: its graph, resolved attributes and parameter tensors. */
    public static Builder builder(Propel propel, Model model) {
        return new Builder(propel, model);
    }

    /** Assembles a {@link SavedModel} from a live model; see {@link SavedModel#builder}. */
    public static final class Builder {
        private final Propel propel;
        private final Model model;
        private ComponentSpec optimizerSpec;
        private OptimizerState state;
        private Provenance provenance;
        private PredictionRule prediction = PredictionRule.argmax();

        private Builder(Propel propel, Model model) {
            this.propel = propel;
            this.model = model;
            this.optimizerSpec = model.spec().optimizer();
            this.provenance = model.trainingRecord();
        }

        /**
         * Records the optimizer's type and resolved attributes, and when {@code withState} its state
         * tensors and step count (so training can resume exactly).
         */
        public Builder optimizer(Optimizer optimizer, boolean withState) {
            this.optimizerSpec = new ComponentSpec(optimizer.typeId(), optimizer.attributes().asMap());
            this.state = withState ? new OptimizerState(optimizer.typeId(), optimizer.stepCount(), optimizer.state()) : null;
            return this;
        }

        /** How the model was trained (default: the model's {@link Model#trainingRecord()}; null records none). */
        public Builder provenance(Provenance provenance) {
            this.provenance = provenance;
            return this;
        }

        /** How the model predicts (default {@code argmax}). */
        public Builder prediction(PredictionRule prediction) {
            this.prediction = Objects.requireNonNull(prediction, "prediction");
            return this;
        }

        /** The saved model, sharing the live model's tensors (no copy): write it before training further. */
        public SavedModel build() {
            // Layers in execution order, so the output is the last layer and a reader needs no "outputs".
            List<LayerSpec> layers = new ArrayList<>();
            List<LayerInfo> graph = new ArrayList<>();
            ModelGraph g = model.graph();
            for (int i = 0; i < g.size(); i++) {
                Layer layer = g.layers().get(i);
                layers.add(new LayerSpec(layer.typeId(), layer.name(), layer.attributes().asMap()));
                graph.add(new LayerInfo(layer.name(), g.inputNames(i), dims(layer.inputShape().dims()),
                        dims(layer.outputShape().dims())));
            }
            ComponentSpec loss = new ComponentSpec(model.loss().typeId(), model.loss().attributes().asMap());
            ModelSpec spec = new ModelSpec(dims(model.inputShape().dims()), layers, loss, optimizerSpec);
            return new SavedModel(producer(spec), spec, graph, prediction, provenance, model.parameters(), model.state(), state);
        }

        private Producer producer(ModelSpec spec) {
            Map<String, TreeSet<String>> typesByPlugin = new TreeMap<>();
            List<String> ids = new ArrayList<>();
            spec.layers().forEach(l -> ids.add(l.type()));
            ids.add(spec.loss().type());
            if (spec.optimizer() != null) ids.add(spec.optimizer().type());
            if (provenance != null && provenance.schedule() != null) provenance.schedule().chain().forEach(c -> ids.add(c.type()));
            for (String id : ids) {
                String plugin = propel.providerOf(id);
                if (plugin != null) typesByPlugin.computeIfAbsent(plugin, k -> new TreeSet<>()).add(id);
            }
            List<PluginRef> refs = new ArrayList<>();
            for (PluginInfo info : propel.plugins()) {
                TreeSet<String> types = typesByPlugin.get(info.name());
                if (types != null) refs.add(new PluginRef(info.name(), info.version(), List.copyOf(types)));
            }
            return new Producer(PropelVersion.current(), refs);
        }

        private static List<Integer> dims(int[] dims) {
            List<Integer> l = new ArrayList<>(dims.length);
            for (int d : dims) l.add(d);
            return l;
        }
    }
}
