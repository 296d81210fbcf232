package dev.propel.format.onnx;

import dev.propel.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code concat} ↔ {@code Concat}: both count the axis with the batch as 0 and negative axes from the end. */
final class ConcatMapping implements LayerMapping {

    @Override
    public List<String> layerTypes() {
        return List.of("concat");
    }

    @Override
    public List<String> operators() {
        return List.of("Concat");
    }

    @Override
    public Exported export(Request r) {
        long axis = ((Number) r.attributes().getOrDefault("axis", -1)).longValue();
        return new Exported(List.of(new Node("Concat", r.inputs(), List.of(r.output()), Map.of("axis", axis))), Map.of());
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        if (!node.has("axis")) throw g.refuse(node, "has no 'axis' attribute, which Concat requires");
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) inputs.add(g.computedInput(node, i));
        Shape first = g.shape(inputs.getFirst());
        int rank = first.rank() + 1;
        long axis = node.intAttr("axis", -1);
        long normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 1 || normalized >= rank) {
            throw g.refuse(node, "joins along axis " + axis + " of rank-" + rank + " inputs; Propel joins along axes 1.." + (rank - 1)
                    + " (not the batch)");
        }
        int[] out = first.dims();
        int perSampleAxis = (int) normalized - 1;
        for (int i = 1; i < inputs.size(); i++) {
            Shape s = g.shape(inputs.get(i));
            boolean fits = s.rank() == first.rank();
            for (int a = 0; fits && a < s.rank(); a++) fits = a == perSampleAxis || s.dim(a) == first.dim(a);
            if (!fits) throw g.refuse(node, "joins per-sample shapes " + first + " and " + s + ", which differ off axis " + axis);
            out[perSampleAxis] += s.dim(perSampleAxis);
        }
        if (inputs.size() == 1) {
            g.alias(node.output(), inputs.getFirst());
            return;
        }
        g.addLayer(node, "concat", Map.of("axis", (int) axis), inputs, Map.of(), node.output(), Shape.of(out));
    }
}
