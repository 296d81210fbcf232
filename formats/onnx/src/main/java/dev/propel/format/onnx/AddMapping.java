package dev.propel.format.onnx;

import dev.propel.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code add} ↔ {@code Add} (two inputs) or {@code Sum} (more). Import needs every input computed from the
 * model input and all of one shape (Propel's add does not broadcast); an {@code Add} of a constant is
 * imported only as the bias of a preceding {@code MatMul} (see {@link DenseMapping}).
 */
final class AddMapping implements LayerMapping {

    @Override
    public List<String> layerTypes() {
        return List.of("add");
    }

    @Override
    public List<String> operators() {
        return List.of("Add", "Sum");
    }

    @Override
    public Exported export(Request r) {
        return new Exported(List.of(Node.of(r.inputs().size() == 2 ? "Add" : "Sum", r.inputs(), r.output())), Map.of());
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) inputs.add(g.computedInput(node, i));
        if (inputs.size() == 1) {
            g.alias(node.output(), inputs.getFirst());
            return;
        }
        Shape first = g.shape(inputs.getFirst());
        for (String in : inputs) {
            if (!g.shape(in).equals(first)) {
                throw g.refuse(node, "adds inputs of per-sample shapes " + first + " and " + g.shape(in)
                        + "; Propel's add takes inputs of one shape (no broadcasting)");
            }
        }
        g.addLayer(node, "add", Map.of(), inputs, Map.of(), node.output(), first);
    }
}
