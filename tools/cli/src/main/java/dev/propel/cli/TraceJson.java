package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.tensor.Tensor;

import java.util.Map;

/**
 * {@code propel trace --json}: {@code {"optimizer", "loss", "initial_parameters", "steps": [{"step", "batch_size",
 * "learning_rate", "loss", "outputs", "layers": [{"name", "type", "unit_layer", "input", "pre_activation", "output",
 * "delta", "grad_output", "grad_input", "gradients"}], "parameters_after", "optimizer_state"}]}}. Every Propel layer is
 * listed; {@code pre_activation} and {@code delta} (∂L/∂pre-activation) are those of the unit layer it belongs to
 * (null when the layer applies its activation inside), {@code grad_output} is ∂L/∂output. Tensors are nested lists
 * in their own layout, activations {@code [batch, units]}.
 */
final class TraceJson {
    private TraceJson() {
    }

    static ObjectNode toJson(Trace trace) {
        ObjectNode root = Json.object();
        root.put("optimizer", trace.optimizer());
        root.put("loss", trace.loss());
        root.set("initial_parameters", tensors(trace.initialParameters()));
        ArrayNode steps = root.putArray("steps");
        for (Trace.Step step : trace.steps()) {
            TraceUnits units = TraceUnits.of(step);
            ObjectNode s = steps.addObject();
            s.put("step", step.number());
            s.put("batch_size", step.batchSize());
            s.put("learning_rate", step.learningRate());
            s.put("loss", step.loss());
            s.set("outputs", tensor(step.outputs()));
            ArrayNode layers = s.putArray("layers");
            for (TraceUnits.Group group : units.groups()) {
                for (Trace.LayerStep l : group.layers(step)) {
                    ObjectNode o = layers.addObject();
                    o.put("name", l.name());
                    o.put("type", l.type());
                    o.put("unit_layer", group.label());
                    o.set("input", tensor(l.input()));
                    o.set("pre_activation", tensor(group.preActivation(step)));
                    o.set("output", tensor(l.output()));
                    o.set("delta", tensor(group.delta(step)));
                    o.set("grad_output", tensor(l.gradOutput()));
                    o.set("grad_input", tensor(l.gradInput()));
                    o.set("gradients", tensors(l.gradients()));
                }
            }
            s.set("parameters_after", tensors(step.parametersAfter()));
            s.set("optimizer_state", tensors(step.optimizerState()));
        }
        return root;
    }

    static ObjectNode tensors(Map<String, Tensor> tensors) {
        ObjectNode o = Json.object();
        tensors.forEach((k, v) -> o.set(k, tensor(v)));
        return o;
    }

    /** Nested lists in the tensor's shape (a number for a scalar), or JSON null for null. */
    static JsonNode tensor(Tensor t) {
        if (t == null) return JsonNodeFactory.instance.nullNode();
        if (t.shape().rank() == 0) return JsonNodeFactory.instance.numberNode(t.data()[0]);
        return nested(t, 0, 0);
    }

    private static ArrayNode nested(Tensor t, int dim, int offset) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        int n = t.shape().dim(dim);
        int stride = 1;
        for (int d = dim + 1; d < t.shape().rank(); d++) stride *= t.shape().dim(d);
        for (int i = 0; i < n; i++) {
            if (dim == t.shape().rank() - 1) {
                a.add(t.data()[offset + i]);
            } else {
                a.add(nested(t, dim + 1, offset + i * stride));
            }
        }
        return a;
    }
}
