package dev.propel.spark;

import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelSpec;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A {@link ModelSpec} in a form Java serialization ships to executors: the same fields as plain lists
 * and maps (attribute values are numbers, strings, booleans and lists of those, all serializable).
 * Executors rebuild the model from it with their own plugins; the weights travel separately.
 */
record ShippedSpec(ArrayList<Integer> input, ArrayList<Layer> layers, Component loss, Component optimizer,
                   ArrayList<String> outputs) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    record Layer(String type, String name, LinkedHashMap<String, Object> attributes, ArrayList<String> inputs)
            implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    record Component(String type, LinkedHashMap<String, Object> attributes) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        static Component of(ComponentSpec c) {
            return c == null ? null : new Component(c.type(), new LinkedHashMap<>(c.attributes()));
        }

        ComponentSpec spec() {
            return new ComponentSpec(type, attributes);
        }
    }

    static ShippedSpec of(ModelSpec spec) {
        ArrayList<Layer> layers = new ArrayList<>();
        for (LayerSpec l : spec.layers()) {
            layers.add(new Layer(l.type(), l.name(), new LinkedHashMap<>(l.attributes()),
                    l.inputs() == null ? null : new ArrayList<>(l.inputs())));
        }
        return new ShippedSpec(new ArrayList<>(spec.input()), layers, Component.of(spec.loss()), Component.of(spec.optimizer()),
                new ArrayList<>(spec.outputs()));
    }

    ModelSpec spec() {
        List<LayerSpec> specs = new ArrayList<>();
        for (Layer l : layers) specs.add(new LayerSpec(l.type(), l.name(), l.attributes(), l.inputs()));
        return new ModelSpec(input, specs, loss.spec(), optimizer == null ? null : optimizer.spec(), outputs);
    }
}
