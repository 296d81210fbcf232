package dev.propel.format.onnx;

import dev.propel.tensor.Shape;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code global_avg_pool} ([C, H, W] → [C]) ↔ {@code GlobalAveragePool} followed by {@code Flatten}
 * (ONNX keeps the pooled axes: [N, C, 1, 1]). Import: {@code GlobalAveragePool}, and {@code ReduceMean}
 * over the two spatial axes (what PyTorch's exporter writes for {@code x.mean(dim=(2, 3))} and
 * {@code AdaptiveAvgPool2d(1)}); with the axes kept, a following {@code Flatten} ({@code axis = 1}) or
 * {@code Reshape} to {@code [batch, C]} is fused, else a {@code reshape} to [C, 1, 1] follows the pool.
 */
final class GlobalPoolMapping implements LayerMapping {

    @Override
    public List<String> layerTypes() {
        return List.of("global_avg_pool");
    }

    @Override
    public List<String> operators() {
        return List.of("GlobalAveragePool", "ReduceMean");
    }

    @Override
    public Exported export(Request r) {
        String pooled = r.prefix() + "pooled";
        return new Exported(List.of(
                Node.of("GlobalAveragePool", r.inputs(), pooled),
                new Node("Flatten", List.of(pooled), List.of(r.output()), Map.of("axis", 1L))), Map.of());
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        String x = g.computedInput(node, 0);
        Shape in = g.shape(x);
        boolean keepDims = true;
        if (node.opType().equals("ReduceMean")) {
            requireSpatialAxes(g, node, in);
            keepDims = node.intAttr("keepdims", 1) != 0;
        } else if (in.rank() != 3) {
            throw g.refuse(node, "pools a per-sample input of shape " + in + "; Propel's global_avg_pool takes [channels, height, width]");
        }
        int channels = in.dim(0);
        String output = node.output();
        OnnxNode next = keepDims ? g.soleConsumer(output) : null;
        if (next != null && flattens(g, next, channels)) {
            g.consume(next);
            output = next.output();
            keepDims = false;
        }
        if (!keepDims) {
            g.addLayer(node, "global_avg_pool", Map.of(), List.of(x), Map.of(), output, Shape.of(channels));
            return;
        }
        String pooled = output + "/pooled";
        g.addLayer(node, "global_avg_pool", Map.of(), List.of(x), Map.of(), pooled, Shape.of(channels));
        g.addLayer(node, "reshape", Map.of("shape", List.of(channels, 1, 1)), List.of(pooled), Map.of(), output, Shape.of(channels, 1, 1));
    }

    /** ReduceMean must average exactly the height and width of a [C, H, W] sample: axes {2, 3} (or {-2, -1}). */
    private static void requireSpatialAxes(ImportGraph g, OnnxNode node, Shape in) {
        long[] axes;
        if (node.has("axes")) {
            axes = node.intsAttr("axes").stream().mapToLong(Long::longValue).toArray();
        } else if (!node.input(1).isEmpty()) {
            axes = g.intConstant(node.input(1));
            if (axes == null) throw g.refuse(node, "reads its axes from '" + node.input(1) + "', which is not a constant");
        } else {
            axes = new long[0];
        }
        TreeSet<Long> resolved = new TreeSet<>();
        for (long a : axes) resolved.add(a < 0 ? a + in.rank() + 1 : a);
        if (in.rank() != 3 || !resolved.equals(new TreeSet<>(List.of(2L, 3L)))) {
            throw g.refuse(node, "averages axes " + java.util.Arrays.toString(axes) + " of a per-sample input of shape " + in
                    + "; Propel imports ReduceMean over the height and width of [channels, height, width] (axes 2 and 3) as global_avg_pool");
        }
    }

    /** Whether {@code next} turns the kept [N, C, 1, 1] into [N, C]: Flatten at axis 1, or a Reshape to [batch, C]. */
    private static boolean flattens(ImportGraph g, OnnxNode next, int channels) {
        if (next.opType().equals("Flatten")) return next.intAttr("axis", 1) == 1;
        if (!next.opType().equals("Reshape")) return false;
        long[] shape = g.intConstant(next.input(1));
        if (shape == null || shape.length != 2) return false;
        boolean batch = shape[0] == 0 || shape[0] == -1 || shape[0] == g.staticBatch();
        return batch && (shape[1] == channels || shape[1] == -1 && shape[0] != -1);
    }
}
