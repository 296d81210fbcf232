package dev.propel.model;

import dev.propel.Propel;
import dev.propel.spi.Layer;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds a live {@link Model} from a file's graph and has the reader put the file's parameter
 * values straight into that model's tensors. Every mismatch between the file and what the installed
 * plugins build from it is a {@link ModelFormatException} naming the file, the layer and the tensor.
 */
final class ModelRestorer implements TensorReceiver {
    private final Propel propel;
    private final String file;
    private Model model;
    private final Set<String> received = new HashSet<>();
    private final Set<String> receivedState = new HashSet<>();
    /** Tensors the prediction rule owns (not a layer's), by name, as they are read. */
    private final Map<String, Tensor> ruleTensors = new LinkedHashMap<>();
    private final Set<String> ruleTensorNames = new LinkedHashSet<>();

    ModelRestorer(Propel propel, String file) {
        this.propel = propel;
        this.file = file;
    }

    @Override
    public void begin(SavedModel header) {
        ModelSpec spec = header.spec();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec l = spec.layers().get(i);
            requireType(header, l.type(), "layer " + i + " '" + l.name() + "'");
        }
        requireType(header, spec.loss().type(), "the loss");
        long seed = header.provenance() != null ? header.provenance().seed() : 0;
        try {
            model = propel.build(spec, seed);
        } catch (OutOfMemoryError e) {
            throw new ModelFormatException(file + ": building the model its graph describes needs more memory than this JVM has ("
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB max heap); the file may be hostile, or raise -Xmx", e);
        } catch (RuntimeException e) {
            throw new ModelFormatException(file + ": the model graph in the file cannot be built with the installed plugins ("
                    + propel.installedSummary() + "): " + e.getMessage(), e);
        }
        checkShapes(header);
        List<String> owned;
        try {
            owned = header.prediction().tensorNames();
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
        for (String name : owned) {
            if (model.parameters().containsKey(name) || !ruleTensorNames.add(name)) {
                throw new ModelFormatException(file + ": the prediction rule '" + header.prediction().type() + "' claims tensor '" + name
                        + "', which " + (model.parameters().containsKey(name) ? "is a layer's parameter" : "it lists twice"));
            }
        }
    }

    private void requireType(SavedModel header, String typeId, String what) {
        if (propel.providerOf(typeId) != null) return;
        throw new ModelFormatException(file + ": " + what + " has type '" + typeId + "', which no installed plugin provides. "
                + recordedProvider(header.producer(), typeId) + " Installed plugins: " + propel.installedSummary()
                + ". Put the plugin that provides '" + typeId + "' on the class path or in a plugin directory"
                + " (propel --plugins DIR) and load again");
    }

    /** "The file records that plugin 'x' 1.0 provided it." or that it does not say. */
    static String recordedProvider(Producer producer, String typeId) {
        PluginRef ref = producer.providerOf(typeId);
        return ref == null ? "The file does not record which plugin provided it."
                : "The file records that plugin '" + ref.name() + "' " + ref.version() + " provided it.";
    }

    private void checkShapes(SavedModel header) {
        Map<String, Layer> byName = new HashMap<>();
        for (Layer layer : model.layers()) byName.put(layer.name(), layer);
        for (LayerInfo info : header.graph()) {
            Layer layer = byName.get(info.name());
            checkShape(header, layer, "input", info.inputShape(), layer.inputShape());
            checkShape(header, layer, "output", info.outputShape(), layer.outputShape());
        }
    }

    private void checkShape(SavedModel header, Layer layer, String which, List<Integer> saved, Shape built) {
        if (saved.isEmpty()) return;
        List<Integer> actual = new ArrayList<>();
        for (int d : built.dims()) actual.add(d);
        if (!saved.equals(actual)) {
            PluginRef ref = header.producer().providerOf(layer.typeId());
            throw new ModelFormatException(file + ": layer '" + layer.name() + "' (" + layer.typeId() + ") was saved with "
                    + which + " shape " + saved + " but the installed plugin '" + propel.providerOf(layer.typeId())
                    + "' builds " + actual + " from the same attributes"
                    + (ref == null ? "" : "; the file was written with plugin '" + ref.name() + "' " + ref.version())
                    + ". Install the plugin version the file was made with");
        }
    }

    @Override
    public Tensor parameter(String name, Shape shape) {
        Tensor target = model.parameters().get(name);
        if (target == null && ruleTensorNames.contains(name)) {
            if (!received.add(name)) {
                throw new ModelFormatException(file + ": the file holds the prediction rule's tensor '" + name + "' twice");
            }
            try {
                Tensor t = Tensor.zeros(shape);
                ruleTensors.put(name, t);
                return t;
            } catch (OutOfMemoryError e) {
                throw new ModelFormatException(file + ": the prediction rule's tensor '" + name + "' " + shape
                        + " needs more memory than this JVM has; the file may be hostile, or raise -Xmx", e);
            }
        }
        if (target == null) {
            throw new ModelFormatException(file + ": the file holds parameter tensor '" + name
                    + "' but the model built from its graph has no such parameter; its parameters are "
                    + model.parameters().keySet() + (ruleTensorNames.isEmpty() ? "" : " and its prediction rule's " + ruleTensorNames));
        }
        if (!target.shape().equals(shape)) {
            throw new ModelFormatException(file + ": parameter tensor '" + name + "' has shape " + shape
                    + " in the file but the model built from its graph expects " + target.shape());
        }
        received.add(name);
        return target;
    }

    @Override
    public Tensor optimizerState(String name, Shape shape) {
        return Tensor.zeros(shape);
    }

    @Override
    public Tensor layerState(String name, Shape shape) {
        Tensor target = model.state().get(name);
        if (target == null) {
            throw new ModelFormatException(file + ": the file holds layer state tensor '" + name
                    + "' but the model built from its graph has no such state; its state tensors are " + model.state().keySet());
        }
        if (!target.shape().equals(shape)) {
            throw new ModelFormatException(file + ": layer state tensor '" + name + "' has shape " + shape
                    + " in the file but the model built from its graph expects " + target.shape());
        }
        if (!receivedState.add(name)) {
            throw new ModelFormatException(file + ": the file holds layer state tensor '" + name + "' twice");
        }
        return target;
    }

    /** The rebuilt model, once every parameter has been read. */
    Model finish() {
        if (model == null) {
            throw new ModelFormatException(file + ": the reader returned before reading the model graph");
        }
        for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) {
            if (!received.contains(e.getKey())) {
                throw new ModelFormatException(file + ": parameter '" + e.getKey() + "' " + e.getValue().shape()
                        + " is missing from the file" + (received.isEmpty()
                        ? " (the file holds no parameter values: it is a model spec; train it with 'propel train' first)"
                        : ""));
            }
        }
        for (Map.Entry<String, Tensor> e : model.state().entrySet()) {
            if (!receivedState.contains(e.getKey())) {
                throw new ModelFormatException(file + ": layer state tensor '" + e.getKey() + "' " + e.getValue().shape()
                        + " is missing from the file (written by a Propel older than format 1.1, or damaged)");
            }
        }
        for (String name : ruleTensorNames) {
            if (!ruleTensors.containsKey(name)) {
                throw new ModelFormatException(file + ": the prediction rule's tensor '" + name + "' is missing from the file");
            }
        }
        return model;
    }
}
