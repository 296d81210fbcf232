package dev.propel.format.onnx;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code layer_scale} (a gain per channel, axis 0 of the per-sample shape) ↔ {@code Mul} by a constant.
 * Export: {@code Mul(x, <layer>.gamma)} with gamma shaped {@code [C, 1, ...]} so that it broadcasts over
 * the rest of each sample. Import: {@code Mul} of a computed value and a constant that varies along the
 * channel axis only ({@code [C, 1, 1]}, {@code [1, C, 1, 1]}, as PyTorch writes {@code gamma.view(1, -1, 1, 1) * x})
 * or not at all (a single value, given to every channel).
 */
final class LayerScaleMapping implements LayerMapping {

    @Override
    public List<String> layerTypes() {
        return List.of("layer_scale");
    }

    @Override
    public List<String> operators() {
        return List.of("Mul");
    }

    @Override
    public Exported export(Request r) {
        Shape in = r.inputShapes().getFirst();
        int[] dims = new int[in.rank()];
        Arrays.fill(dims, 1);
        dims[0] = in.dim(0);
        Tensor gamma = r.parameters().get("gamma").reshape(dims);
        String name = r.name() + ".gamma";
        return new Exported(List.of(Node.of("Mul", List.of(r.inputs().getFirst(), name), r.output())), Map.of(name, gamma));
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        if (node.inputs().size() != 2) throw g.refuse(node, "has " + node.inputs().size() + " inputs; Mul takes 2");
        int computed = g.isComputed(node.input(0)) ? 0 : 1;
        String x = g.computedInput(node, computed);
        Tensor c = g.floatConstant(node.input(1 - computed));
        Shape in = g.shape(x);
        int channels = in.dim(0);
        String why = "; Propel imports Mul by a constant per channel ([C, 1, 1] or [1, C, 1, 1] on [N, C, H, W], or a single value)"
                + " as layer_scale";
        if (c == null) throw g.refuse(node, "multiplies two computed values" + why);
        // Broadcasting aligns the constant's axes with the last ones of [N, per-sample...]: only the one on the channel axis may differ from 1.
        int[] cd = c.shape().dims();
        int channelAxis = cd.length - in.rank();
        for (int i = 0; i < cd.length; i++) {
            if (cd.length > in.rank() + 1 || cd[i] != 1 && (i != channelAxis || cd[i] != channels)) {
                throw g.refuse(node, "multiplies a value of per-sample shape " + in + " by a constant of shape " + c.shape() + why);
            }
        }
        Tensor gamma;
        if (c.size() == channels) {
            gamma = c.reshape(channels).copy();
        } else {
            gamma = Tensor.zeros(channels);
            Arrays.fill(gamma.data(), c.contiguous().data()[c.contiguous().offset()]);
        }
        g.addLayer(node, "layer_scale", Map.of(), List.of(x), Map.of("gamma", gamma), node.output(), in);
    }
}
