package dev.propel.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model as plain data: per-sample input shape, the layers in order, the loss and (for training)
 * the optimizer. This is what a JSON model spec holds; {@code Propel.build} turns it into a
 * {@link Model}.
 */
public record ModelSpec(List<Integer> input, List<LayerSpec> layers, ComponentSpec loss, ComponentSpec optimizer) {
    public ModelSpec {
        Objects.requireNonNull(input, "input");
        input = List.copyOf(input);
        layers = List.copyOf(layers);
        Objects.requireNonNull(loss, "loss");
    }

    public int[] inputDims() {
        return input.stream().mapToInt(Integer::intValue).toArray();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction for code that embeds Propel. */
    public static final class Builder {
        private List<Integer> input;
        private final List<LayerSpec> layers = new ArrayList<>();
        private ComponentSpec loss;
        private ComponentSpec optimizer;

        public Builder input(int... dims) {
            List<Integer> l = new ArrayList<>();
            for (int d : dims) l.add(d);
            this.input = l;
            return this;
        }

        public Builder layer(String type) {
            layers.add(LayerSpec.of(type));
            return this;
        }

        public Builder layer(String type, Map<String, ?> attributes) {
            layers.add(LayerSpec.of(type, attributes));
            return this;
        }

        public Builder layer(LayerSpec spec) {
            layers.add(spec);
            return this;
        }

        public Builder loss(String type) {
            return loss(type, Map.of());
        }

        public Builder loss(String type, Map<String, ?> attributes) {
            this.loss = ComponentSpec.of(type, attributes);
            return this;
        }

        public Builder optimizer(String type, Map<String, ?> attributes) {
            this.optimizer = ComponentSpec.of(type, attributes);
            return this;
        }

        public ModelSpec build() {
            if (input == null) throw new IllegalStateException("ModelSpec needs an input shape: call input(...)");
            if (loss == null) throw new IllegalStateException("ModelSpec needs a loss: call loss(...)");
            return new ModelSpec(input, layers, loss, optimizer);
        }
    }
}
