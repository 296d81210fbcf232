package dev.propel.format.onnx;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code batch_norm} ↔ {@code BatchNormalization} in inference form:
 * {@code y = (x − running_mean)/√(running_var + ε)·γ + β} per channel (axis 1 of [N, C, ...]).
 * Export: the inputs scale, bias, mean and variance are the initializers {@code <layer>.weight},
 * {@code .bias}, {@code .running_mean}, {@code .running_var} (ones and zeros for {@code affine: false});
 * {@code momentum} is ONNX's, 1 − Propel's. Import: constant scale, bias, mean and variance of C values
 * (the running statistics become the layer's state; {@code num_batches_tracked}, which ONNX does not
 * hold, starts at 0), {@code training_mode = 0}, no reader of the training outputs; the model comes back
 * with {@code affine: true}, which computes the same.
 */
final class BatchNormMapping implements LayerMapping {
    private static final List<String> INPUTS = List.of("scale", "bias", "mean", "variance");

    @Override
    public List<String> layerTypes() {
        return List.of("batch_norm");
    }

    @Override
    public List<String> operators() {
        return List.of("BatchNormalization");
    }

    @Override
    public Exported export(Request r) {
        Map<String, Object> a = r.attributes();
        int channels = r.inputShapes().getFirst().dim(0);
        Map<String, Tensor> constants = new LinkedHashMap<>();
        boolean affine = r.parameters().containsKey("weight");
        constants.put(r.name() + ".weight", affine ? r.parameters().get("weight") : filled(channels, 1f));
        constants.put(r.name() + ".bias", affine ? r.parameters().get("bias") : filled(channels, 0f));
        constants.put(r.name() + ".running_mean", r.state().get("running_mean"));
        constants.put(r.name() + ".running_var", r.state().get("running_var"));
        float momentum = ((Number) a.getOrDefault("momentum", 0.1f)).floatValue();
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("epsilon", ((Number) a.getOrDefault("eps", 1e-5f)).floatValue());
        attributes.put("momentum", (float) (1.0 - momentum));
        return new Exported(List.of(new Node("BatchNormalization", List.of(r.inputs().getFirst(), r.name() + ".weight",
                r.name() + ".bias", r.name() + ".running_mean", r.name() + ".running_var"), List.of(r.output()), attributes)), constants);
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        String x = g.computedInput(node, 0);
        Shape in = g.shape(x);
        if (node.intAttr("training_mode", 0) != 0) {
            throw g.refuse(node, "has training_mode = 1; Propel imports BatchNormalization in inference form (export the model in eval mode)");
        }
        if (node.intAttr("spatial", 1) != 1) throw g.refuse(node, "has spatial = 0; Propel normalizes per channel (spatial = 1)");
        for (int i = 1; i < node.outputs().size(); i++) {
            if (!node.outputs().get(i).isEmpty() && g.isRead(node.outputs().get(i))) {
                throw g.refuse(node, "has its training output " + i + " read by another node; Propel imports the inference form only");
            }
        }
        int channels = in.dim(0);
        Tensor[] v = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            v[i] = g.floatConstant(node.input(i + 1));
            if (v[i] == null || v[i].size() != channels) {
                throw g.refuse(node, "needs a constant " + INPUTS.get(i) + " of " + channels + " values (one per channel), got '"
                        + node.input(i + 1) + "'" + (v[i] == null ? ", which is not a constant" : " of shape " + v[i].shape()));
            }
            v[i] = v[i].reshape(channels).copy();
        }
        float momentum = node.floatAttr("momentum", 0.9f);
        if (!(momentum >= 0f && momentum <= 1f)) throw g.refuse(node, "has momentum " + momentum + "; expected a value in [0, 1]");
        float epsilon = node.floatAttr("epsilon", 1e-5f);
        if (!(epsilon > 0f) || Float.isInfinite(epsilon)) throw g.refuse(node, "has epsilon " + epsilon + "; expected a positive number");
        Map<String, Object> attributes = new LinkedHashMap<>();
        // Propel's momentum is 1 - ONNX's; rounded to 6 decimals so that 0.1 comes back as 0.1, not 0.100000024.
        attributes.put("momentum", (float) (Math.round((1.0 - momentum) * 1e6) / 1e6));
        attributes.put("eps", epsilon);
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        parameters.put("weight", v[0]);
        parameters.put("bias", v[1]);
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("running_mean", v[2]);
        state.put("running_var", v[3]);
        state.put("num_batches_tracked", Tensor.zeros(1));
        g.addLayer(node, "batch_norm", attributes, List.of(x), parameters, state, node.output(), in);
    }

    private static Tensor filled(int n, float value) {
        Tensor t = Tensor.zeros(n);
        Arrays.fill(t.data(), value);
        return t;
    }
}
