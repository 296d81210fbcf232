package dev.propel.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model as plain data: per-sample input shape, the layers, the loss, (for training) the optimizer,
 * and the names of the layers whose outputs are the model's outputs (empty: the last layer). This is
 * what a JSON model spec holds; {@code Propel.build} turns it into a {@link Model}.
 *
 * <p>A layer reads the layer before it unless its {@link LayerSpec#inputs()} name others, so a plain
 * list of layers is a sequential model and named inputs make a graph (see docs/format.md).
 */
public record ModelSpec(List<Integer> input, List<LayerSpec> layers, ComponentSpec loss, ComponentSpec optimizer,
                        List<String> outputs) {
    /**
     * Checks input and loss and copies the lists; {@code optimizer} may be {@code null}, {@code outputs} {@code null}
     * or empty (the last layer).
     */
    public ModelSpec {
        Objects.requireNonNull(input, "input");
        input = List.copyOf(input);
        layers = List.copyOf(layers);
        Objects.requireNonNull(loss, "loss");
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** A model whose output is its last layer's. */
    public ModelSpec(List<Integer> input, List<LayerSpec> layers, ComponentSpec loss, ComponentSpec optimizer) {
        this(input, layers, loss, optimizer, List.of());
    }

    /** True when some layer names its inputs or the outputs are named: the spec is a graph, not a plain stack. */
    public boolean isGraph() {
        return !outputs.isEmpty() || layers.stream().anyMatch(l -> l.inputs() != null);
    }

    /** The same spec with other layers (e.g. with their resolved attributes). */
    public ModelSpec withLayers(List<LayerSpec> newLayers) {
        return new ModelSpec(input, newLayers, loss, optimizer, outputs);
    }

    /** The per-sample input dimensions as an array, e.g. {@code [1, 28, 28]}. */
    public int[] inputDims() {
        return input.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A builder for a sequential spec: input, layers in order, loss, optional optimizer. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction for code that embeds Propel. */
    public static final class Builder {
        private List<Integer> input;
        private final List<LayerSpec> layers = new ArrayList<>();
        private ComponentSpec loss;
        private ComponentSpec optimizer;
        private final List<String> outputs = new ArrayList<>();

        /** The per-sample input shape, e.g. {@code input(784)} or {@code input(1, 28, 28)} (NCHW without the batch). */
        public Builder input(int... dims) {
            List<Integer> l = new ArrayList<>();
            for (int d : dims) l.add(d);
            this.input = l;
            return this;
        }

        /** Appends a layer of type {@code type} with default attributes. */
        public Builder layer(String type) {
            layers.add(LayerSpec.of(type));
            return this;
        }

        /** Appends a layer of type {@code type} with these attributes (checked when the model is built). */
        public Builder layer(String type, Map<String, ?> attributes) {
            layers.add(LayerSpec.of(type, attributes));
            return this;
        }

        /** Appends {@code spec} (which may name its inputs, for a graph). */
        public Builder layer(LayerSpec spec) {
            layers.add(spec);
            return this;
        }

        /** Names a layer whose output is a model output (default: the last layer). */
        public Builder output(String layerName) {
            outputs.add(layerName);
            return this;
        }

        /** The loss of type {@code type}, with default attributes. */
        public Builder loss(String type) {
            return loss(type, Map.of());
        }

        /** The loss of type {@code type} with these attributes. */
        public Builder loss(String type, Map<String, ?> attributes) {
            this.loss = ComponentSpec.of(type, attributes);
            return this;
        }

        /** The optimizer a file should record for this model (training code may still use another). */
        public Builder optimizer(String type, Map<String, ?> attributes) {
            this.optimizer = ComponentSpec.of(type, attributes);
            return this;
        }

        /** The spec; throws {@link IllegalStateException} when no input shape or no loss was given. */
        public ModelSpec build() {
            if (input == null) throw new IllegalStateException("ModelSpec needs an input shape: call input(...)");
            if (loss == null) throw new IllegalStateException("ModelSpec needs a loss: call loss(...)");
            return new ModelSpec(input, layers, loss, optimizer, outputs);
        }
    }
}
