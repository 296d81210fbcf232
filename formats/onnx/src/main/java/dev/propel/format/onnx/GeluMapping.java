package dev.propel.format.onnx;

import java.util.List;
import java.util.Map;

/**
 * {@code gelu} ↔ {@code Gelu} (opset 20; attribute {@code approximate}: {@code none} for the exact erf
 * form, {@code tanh} for the tanh approximation, the same names as Propel's and PyTorch's).
 */
final class GeluMapping implements LayerMapping {

    @Override
    public List<String> layerTypes() {
        return List.of("gelu");
    }

    @Override
    public List<String> operators() {
        return List.of("Gelu");
    }

    @Override
    public Exported export(Request r) {
        String approximate = (String) r.attributes().getOrDefault("approximate", "none");
        return new Exported(List.of(new Node("Gelu", r.inputs(), List.of(r.output()), Map.of("approximate", approximate))), Map.of());
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        String x = g.computedInput(node, 0);
        String approximate = node.stringAttr("approximate", "none");
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw g.refuse(node, "has approximate = '" + approximate + "'; expected 'none' or 'tanh'");
        }
        g.addLayer(node, "gelu", Map.of("approximate", approximate), List.of(x), Map.of(), node.output(), g.shape(x));
    }
}
