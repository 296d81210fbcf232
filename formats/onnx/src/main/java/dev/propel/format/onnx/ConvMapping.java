package dev.propel.format.onnx;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code conv2d} ↔ {@code Conv}. The weight is {@code [out, in/groups, kh, kw]} in both, so it moves
 * unchanged. Export: {@code Conv(x, weight[, bias])} with {@code group}, {@code dilations},
 * {@code strides} and explicit {@code pads} (Propel's {@code "same"} becomes its pads: half the dilated
 * kernel on each side, the odd one at the end, as PyTorch). Import: a 2-D {@code Conv} with a constant
 * weight and an optional constant bias; symmetric pads become {@code padding}, pads with the odd one at
 * the end at stride 1 become {@code "same"}, other asymmetric pads are refused; {@code auto_pad} is
 * resolved into pads first.
 */
final class ConvMapping implements LayerMapping {

    @Override
    public List<String> layerTypes() {
        return List.of("conv2d");
    }

    @Override
    public List<String> operators() {
        return List.of("Conv");
    }

    @Override
    public Exported export(Request r) {
        Map<String, Object> a = r.attributes();
        int[] kernel = Windows.pair(a, "kernel_size", 1);
        int[] stride = Windows.pair(a, "stride", 1);
        int[] dilation = Windows.pair(a, "dilation", 1);
        List<Long> pads;
        Object padding = a.getOrDefault("padding", 0);
        if ("same".equals(padding)) {
            long totalH = (long) dilation[0] * (kernel[0] - 1);
            long totalW = (long) dilation[1] * (kernel[1] - 1);
            pads = List.of(totalH / 2, totalW / 2, totalH - totalH / 2, totalW - totalW / 2);
        } else if ("valid".equals(padding)) {
            pads = List.of(0L, 0L, 0L, 0L);
        } else {
            pads = Windows.pads(Windows.pair(a, "padding", 0));
        }
        List<String> inputs = new ArrayList<>(List.of(r.inputs().getFirst()));
        Map<String, Tensor> constants = DenseMapping.weightAndBias(r, inputs);
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("kernel_shape", Windows.longs(kernel));
        attributes.put("strides", Windows.longs(stride));
        attributes.put("pads", pads);
        attributes.put("dilations", Windows.longs(dilation));
        attributes.put("group", (long) ((Number) a.getOrDefault("groups", 1)).intValue());
        return new Exported(List.of(new Node("Conv", inputs, List.of(r.output()), attributes)), constants);
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        String x = g.computedInput(node, 0);
        Shape in = g.shape(x);
        Tensor weight = g.floatConstant(node.input(1));
        if (weight == null || weight.shape().rank() != 4) {
            throw g.refuse(node, "needs a constant 4-D weight [out, in/group, kh, kw] as its second input, got '" + node.input(1) + "'"
                    + (weight == null ? "" : " of shape " + weight.shape()) + "; Propel imports 2-D convolutions with fixed weights");
        }
        Shape ws = weight.shape();
        int[] kernel = {ws.dim(2), ws.dim(3)};
        List<Long> kernelShape = node.intsAttr("kernel_shape");
        if (kernelShape != null && !kernelShape.equals(List.of((long) kernel[0], (long) kernel[1]))) {
            throw g.refuse(node, "has kernel_shape " + kernelShape + " but a weight of shape " + ws + "; they must agree");
        }
        Windows.Window w = Windows.read(g, node, in, kernel, true);
        long groups = node.intAttr("group", 1);
        int channels = in.dim(0);
        int out = ws.dim(0);
        if (groups < 1 || channels % groups != 0 || out % groups != 0 || (long) ws.dim(1) * groups != channels) {
            throw g.refuse(node, "has group = " + groups + " for " + channels + " input channels and a weight of shape " + ws
                    + "; group must divide the input and output channels, and the weight hold input channels / group");
        }
        Object padding;
        int[] p = w.pads();
        if (w.symmetric()) {
            padding = Windows.attribute(p[0], p[1]);
        } else if (w.stride()[0] == 1 && w.stride()[1] == 1 && p[0] == sameStart(w, 0) && p[1] == sameStart(w, 1)
                && p[2] == sameTotal(w, 0) - p[0] && p[3] == sameTotal(w, 1) - p[1]) {
            padding = "same";
        } else {
            throw g.refuse(node, "has pads " + List.of(p[0], p[1], p[2], p[3]) + " [top, left, bottom, right]; Propel's conv2d pads"
                    + " both sides alike, or as \"same\" at stride 1 (the odd one at the end)");
        }
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        parameters.put("weight", weight.copy());
        String biasName = node.input(2);
        if (!biasName.isEmpty()) {
            Tensor bias = g.floatConstant(biasName);
            if (bias == null || bias.size() != out) {
                throw g.refuse(node, "adds the bias '" + biasName + "'" + (bias == null ? ", which is not a constant" : " of shape " + bias.shape())
                        + "; Propel's conv2d takes a constant bias of " + out + " values");
            }
            parameters.put("bias", bias.reshape(out).copy());
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("out_channels", out);
        attributes.put("kernel_size", Windows.attribute(kernel[0], kernel[1]));
        attributes.put("stride", Windows.attribute(w.stride()[0], w.stride()[1]));
        attributes.put("padding", padding);
        attributes.put("dilation", Windows.attribute(w.dilation()[0], w.dilation()[1]));
        attributes.put("groups", (int) groups);
        attributes.put("bias", parameters.containsKey("bias"));
        Shape outShape = Windows.outputShape(g, node, out, w.output(in.dim(1), in.dim(2)));
        g.addLayer(node, "conv2d", attributes, List.of(x), parameters, node.output(), outShape);
    }

    private static long sameTotal(Windows.Window w, int axis) {
        return (long) w.dilation()[axis] * (w.kernel()[axis] - 1);
    }

    private static long sameStart(Windows.Window w, int axis) {
        return sameTotal(w, axis) / 2;
    }
}
