package dev.propel.format.onnx;

import dev.propel.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code max_pool2d} ↔ {@code MaxPool} and {@code avg_pool2d} ↔ {@code AveragePool}, with
 * {@code kernel_shape}, {@code strides} (Propel's default {@code "kernel_size"} is the kernel) and symmetric
 * {@code pads}. Propel's average divides every window by kh·kw, padding counted as zeros, which is ONNX's
 * {@code count_include_pad = 1}: export writes it, import requires it when there is padding (ONNX's
 * default is 0). Import also requires dilation 1, pads of at most half the kernel (as Propel and PyTorch),
 * {@code ceil_mode} 0 or a ceil mode that gives the same size, and no reader of MaxPool's indices.
 */
final class PoolMapping implements LayerMapping {
    private static final Map<String, String> OPERATORS = Map.of("max_pool2d", "MaxPool", "avg_pool2d", "AveragePool");

    @Override
    public List<String> layerTypes() {
        return List.of("max_pool2d", "avg_pool2d");
    }

    @Override
    public List<String> operators() {
        return List.of("MaxPool", "AveragePool");
    }

    @Override
    public Exported export(Request r) {
        Map<String, Object> a = r.attributes();
        int[] kernel = Windows.pair(a, "kernel_size", 1);
        int[] stride = "kernel_size".equals(a.getOrDefault("stride", "kernel_size")) ? kernel : Windows.pair(a, "stride", 1);
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("kernel_shape", Windows.longs(kernel));
        attributes.put("strides", Windows.longs(stride));
        attributes.put("pads", Windows.pads(Windows.pair(a, "padding", 0)));
        String op = OPERATORS.get(r.type());
        if (op.equals("AveragePool")) attributes.put("count_include_pad", 1L);
        return new Exported(List.of(new Node(op, r.inputs(), List.of(r.output()), attributes)), Map.of());
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        String x = g.computedInput(node, 0);
        Shape in = g.shape(x);
        boolean max = node.opType().equals("MaxPool");
        if (max && node.outputs().size() > 1 && !node.outputs().get(1).isEmpty() && g.isRead(node.outputs().get(1))) {
            throw g.refuse(node, "has its Indices output read by another node; Propel imports MaxPool's values only");
        }
        if (node.intsAttr("kernel_shape") == null) throw g.refuse(node, "has no kernel_shape; ONNX requires one");
        int[] kernel = Windows.ints(g, node, "kernel_shape", 2, null, 1);
        Windows.Window w = Windows.read(g, node, in, kernel, false);
        int[] p = w.pads();
        if (!w.symmetric() || 2 * p[0] > kernel[0] || 2 * p[1] > kernel[1]) {
            throw g.refuse(node, "has pads " + List.of(p[0], p[1], p[2], p[3]) + " [top, left, bottom, right] for a " + kernel[0] + "x"
                    + kernel[1] + " kernel; Propel pools with the same padding on both sides, at most half the kernel");
        }
        if (!max && (p[0] > 0 || p[1] > 0) && node.intAttr("count_include_pad", 0) == 0) {
            throw g.refuse(node, "averages without counting the padding (count_include_pad = 0) on pads " + List.of(p[0], p[1], p[2], p[3])
                    + "; Propel's avg_pool2d counts it (count_include_pad = 1, PyTorch's default)");
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("kernel_size", Windows.attribute(kernel[0], kernel[1]));
        if (w.stride()[0] != kernel[0] || w.stride()[1] != kernel[1]) attributes.put("stride", Windows.attribute(w.stride()[0], w.stride()[1]));
        attributes.put("padding", Windows.attribute(p[0], p[1]));
        Shape out = Windows.outputShape(g, node, in.dim(0), w.output(in.dim(1), in.dim(2)));
        g.addLayer(node, max ? "max_pool2d" : "avg_pool2d", attributes, List.of(x), Map.of(), node.output(), out);
    }
}
