package dev.propel.format.onnx;

import dev.propel.spi.OperatorExport;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dense} ↔ {@code Gemm}. Export: {@code Gemm(x, weight, bias)} with {@code transB = 1}, since the
 * weight is stored {@code [units, fan_in]} like PyTorch's; a fused activation follows as its own node.
 * Import: {@code Gemm} with a constant B (either layout, alpha and beta folded into the values) and an
 * optional constant C, and {@code MatMul} with a constant {@code [fan_in, units]} weight followed by an
 * {@code Add} of a constant bias (what exporters emit for {@code nn.Linear}); a {@code Relu},
 * {@code Sigmoid} or {@code Tanh} that alone reads the result becomes the layer's fused activation.
 */
final class DenseMapping implements LayerMapping {
    private static final Map<String, String> ACTIVATIONS = Map.of("relu", "Relu", "sigmoid", "Sigmoid", "tanh", "Tanh");

    @Override
    public List<String> layerTypes() {
        return List.of("dense");
    }

    @Override
    public List<String> operators() {
        return List.of("Gemm", "MatMul");
    }

    @Override
    public Exported export(Request r) {
        Shape in = r.inputShapes().getFirst();
        if (in.rank() != 1) {
            // ONNX's Gemm multiplies matrices only; a dense over the last axis of a sequence would be MatMul + Add.
            throw new dev.propel.spi.PropelException("dense layer '" + r.name() + "' maps the last axis of a per-sample input " + in
                    + "; its ONNX export (MatMul over the leading axes) is not written yet, only dense on [features] exports");
        }
        String activation = (String) r.attributes().getOrDefault("activation", "none");
        boolean fused = !activation.equals("none");
        String linear = fused ? r.prefix() + "linear" : r.output();
        List<String> inputs = new ArrayList<>(List.of(r.inputs().getFirst()));
        Map<String, Tensor> constants = weightAndBias(r, inputs);
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node("Gemm", inputs, List.of(linear), Map.of("transB", 1L)));
        if (fused) {
            String op = ACTIVATIONS.get(activation);
            if (op == null) throw new dev.propel.spi.PropelException("dense layer '" + r.name() + "': activation '" + activation
                    + "' has no ONNX form; expected one of " + ACTIVATIONS.keySet());
            nodes.add(Node.of(op, List.of(linear), r.output()));
        }
        return new Exported(nodes, constants);
    }

    /**
     * The layer's {@code weight} and, when it has one, {@code bias} as the initializers {@code <layer>.weight} and
     * {@code <layer>.bias}, their names appended to {@code inputs} (as Gemm and Conv read them).
     */
    static Map<String, Tensor> weightAndBias(Request r, List<String> inputs) {
        Map<String, Tensor> constants = new LinkedHashMap<>();
        for (String p : List.of("weight", "bias")) {
            if (!r.parameters().containsKey(p)) continue;
            inputs.add(r.name() + "." + p);
            constants.put(r.name() + "." + p, r.parameters().get(p));
        }
        return constants;
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        String x = g.computedInput(node, 0);
        Shape in = g.shape(x);
        if (in.rank() != 1) {
            throw g.refuse(node, "multiplies an input of per-sample shape " + in + "; Propel's dense layer takes [batch, features]"
                    + " (flatten the input first)");
        }
        Tensor b = g.floatConstant(node.input(1));
        if (b == null || b.shape().rank() != 2) {
            throw g.refuse(node, "needs a constant 2-D weight as its second input (an initializer), got '" + node.input(1)
                    + "'; Propel imports a product with a weight as a dense layer");
        }
        Tensor weight;
        Tensor bias = null;
        String output = node.output();
        if (node.opType().equals("Gemm")) {
            if (node.intAttr("transA", 0) != 0) throw g.refuse(node, "has transA = 1; Propel imports Gemm with transA = 0 only");
            weight = node.intAttr("transB", 0) != 0 ? b.copy() : b.transpose(0, 1).contiguous();
            scale(weight, node.floatAttr("alpha", 1f));
            if (!node.input(2).isEmpty()) {
                bias = biasOf(g, node, node.input(2), weight.shape().dim(0));
                scale(bias, node.floatAttr("beta", 1f));
            }
        } else {
            weight = b.transpose(0, 1).contiguous();
        }
        int units = weight.shape().dim(0);
        if (weight.shape().dim(1) != in.dim(0)) {
            throw g.refuse(node, "multiplies " + in.dim(0) + " features by a weight of shape " + b.shape() + "; the sizes disagree");
        }
        OnnxNode next = g.soleConsumer(output);
        if (bias == null && next != null && next.opType().equals("Add") && next.inputs().size() == 2) {
            String other = next.input(0).equals(output) ? next.input(1) : next.input(0);
            Tensor c = g.floatConstant(other);
            if (c != null && c.size() == units && (c.shape().rank() == 1 || c.shape().rank() == 2 && c.shape().dim(0) == 1)) {
                bias = c.reshape(units).copy();
                g.consume(next);
                output = next.output();
                next = g.soleConsumer(output);
            }
        }
        String activation = "none";
        // A Propel export keeps a fused activation under the layer's name ("dense_0/Relu_1") and a separate activation
        // layer under its own: fuse only the first, so the model comes back as it was. Other producers: fuse always.
        if (next != null && (!g.fromPropel() || next.name().startsWith(node.name() + "/"))) {
            for (Map.Entry<String, String> e : ACTIVATIONS.entrySet()) {
                if (e.getValue().equals(next.opType())) {
                    activation = e.getKey();
                    g.consume(next);
                    output = next.output();
                }
            }
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("units", units);
        attributes.put("use_bias", bias != null);
        attributes.put("activation", activation);
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        parameters.put("weight", weight);
        if (bias != null) parameters.put("bias", bias);
        g.addLayer(node, "dense", attributes, List.of(x), parameters, output, Shape.of(units));
    }

    /** The constant {@code value} as a bias of {@code units}: shape [units], [1, units] or a scalar broadcast. */
    private static Tensor biasOf(ImportGraph g, OnnxNode node, String value, int units) {
        Tensor c = g.floatConstant(value);
        if (c == null) throw g.refuse(node, "adds '" + value + "', which is not a constant; Propel's dense layer needs a constant bias");
        if (c.size() == units && (c.shape().rank() == 1 || c.shape().rank() == 2 && c.shape().dim(0) == 1)) return c.reshape(units).copy();
        if (c.size() == 1) {
            Tensor t = Tensor.zeros(units);
            java.util.Arrays.fill(t.data(), c.contiguous().data()[c.contiguous().offset()]);
            return t;
        }
        throw g.refuse(node, "adds a C of shape " + c.shape() + "; Propel imports a bias of shape [" + units + "] (or [1, " + units
                + "] or a single value)");
    }

    private static void scale(Tensor t, float factor) {
        if (factor == 1f) return;
        float[] d = t.data();
        for (int i = t.offset(); i < t.offset() + t.size(); i++) d[i] *= factor;
    }
}
