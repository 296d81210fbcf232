package dev.propel.format.onnx;

import dev.propel.tensor.Shape;

import java.util.List;
import java.util.Map;

/** {@code flatten} ↔ {@code Flatten} with {@code axis = 1}: each sample becomes one row. */
final class FlattenMapping implements LayerMapping {

    @Override
    public List<String> layerTypes() {
        return List.of("flatten");
    }

    @Override
    public List<String> operators() {
        return List.of("Flatten");
    }

    @Override
    public Exported export(Request r) {
        return new Exported(List.of(new Node("Flatten", r.inputs(), List.of(r.output()), Map.of("axis", 1L))), Map.of());
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        String x = g.computedInput(node, 0);
        Shape s = g.shape(x);
        long axis = node.intAttr("axis", 1);
        int rank = s.rank() + 1;
        if (axis != 1 && axis != 1 - rank) {
            throw g.refuse(node, "flattens from axis " + axis + " of a rank-" + rank + " input; Propel's flatten keeps the batch"
                    + " (axis 1) and flattens the rest");
        }
        g.addLayer(node, "flatten", Map.of(), List.of(x), Map.of(), node.output(), Shape.of(s.size()));
    }
}
