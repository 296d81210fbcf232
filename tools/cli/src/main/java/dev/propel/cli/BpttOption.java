package dev.propel.cli;

import dev.propel.model.LayerSpec;
import dev.propel.model.ModelSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --bptt-steps K}: truncated backpropagation through time for every recurrent layer of a spec. It
 * sets the layers' {@code bptt_steps} attribute (see the standard plugin's {@code Recurrent}), so the
 * saved model records it and a resumed run continues with it.
 */
final class BpttOption {
    /** The layer types that take {@code bptt_steps}. */
    static final Set<String> RECURRENT = Set.of("rnn", "lstm", "gru");

    private BpttOption() {
    }

    /** The spec with {@code bptt_steps = steps} on every rnn, lstm and gru layer; an error when it has none. */
    static ModelSpec apply(ModelSpec spec, String specName, int steps) {
        if (steps < 1) throw new IllegalArgumentException("--bptt-steps must be at least 1 time step, got " + steps);
        List<LayerSpec> layers = new ArrayList<>();
        boolean any = false;
        for (LayerSpec l : spec.layers()) {
            if (RECURRENT.contains(l.type())) {
                Map<String, Object> attributes = new LinkedHashMap<>(l.attributes());
                attributes.put("bptt_steps", steps);
                l = new LayerSpec(l.type(), l.name(), attributes, l.inputs());
                any = true;
            }
            layers.add(l);
        }
        if (!any) {
            throw new IllegalArgumentException("--bptt-steps truncates backpropagation through time in rnn, lstm and gru layers, but "
                    + specName + " has none; leave the option out");
        }
        return spec.withLayers(layers);
    }
}
