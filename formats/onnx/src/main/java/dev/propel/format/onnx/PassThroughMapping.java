package dev.propel.format.onnx;

import java.util.List;
import java.util.Map;

/**
 * What computes nothing at inference: {@code dropout} exports as {@code Identity}; {@code Identity} and
 * {@code Dropout} (whose mask output no node reads) import as another name of their input, with no layer.
 */
final class PassThroughMapping implements LayerMapping {

    @Override
    public List<String> layerTypes() {
        return List.of("dropout");
    }

    @Override
    public List<String> operators() {
        return List.of("Identity", "Dropout");
    }

    @Override
    public Exported export(Request r) {
        return new Exported(List.of(Node.of("Identity", r.inputs(), r.output())), Map.of());
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        if (node.outputs().size() > 1 && !node.outputs().get(1).isEmpty() && g.isRead(node.outputs().get(1))) {
            throw g.refuse(node, "has its mask output read by another node; Propel imports Dropout in inference form only");
        }
        String x = node.input(0);
        // A constant passes on as a constant; anything else must be computed (computedInput refuses what is neither).
        g.alias(node.output(), g.isConstant(x) ? x : g.computedInput(node, 0));
    }
}
