package dev.propel.format.onnx;

import dev.propel.tensor.Shape;

import java.util.List;
import java.util.Map;

/**
 * {@code softmax} (over the last axis) ↔ {@code Softmax} with {@code axis = -1}. Import before opset 13,
 * where Softmax flattened the axes from {@code axis} on (default 1), accepts inputs of rank 2, for
 * which that is the last axis.
 */
final class SoftmaxMapping implements LayerMapping {

    @Override
    public List<String> layerTypes() {
        return List.of("softmax");
    }

    @Override
    public List<String> operators() {
        return List.of("Softmax");
    }

    @Override
    public Exported export(Request r) {
        return new Exported(List.of(new Node("Softmax", r.inputs(), List.of(r.output()), Map.of("axis", -1L))), Map.of());
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        String x = g.computedInput(node, 0);
        Shape s = g.shape(x);
        int rank = s.rank() + 1;
        boolean flattening = g.opset() < 13;
        long axis = node.intAttr("axis", flattening ? 1 : -1);
        long normalized = axis < 0 ? axis + rank : axis;
        boolean last = normalized == rank - 1;
        if (!last || flattening && rank != 2) {
            throw g.refuse(node, "takes the softmax over axis " + axis + " of a rank-" + rank + " input (opset " + g.opset()
                    + "); Propel's softmax runs over the last axis only" + (flattening ? " and, before opset 13, on rank-2 inputs" : ""));
        }
        g.addLayer(node, "softmax", Map.of(), List.of(x), Map.of(), node.output(), s);
    }
}
