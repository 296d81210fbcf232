package dev.propel.format.onnx;

import java.util.List;
import java.util.Map;

/** {@code leaky_relu} (attribute {@code negative_slope}) ↔ {@code LeakyRelu} (attribute {@code alpha}, default 0.01). */
final class LeakyReluMapping implements LayerMapping {

    @Override
    public List<String> layerTypes() {
        return List.of("leaky_relu");
    }

    @Override
    public List<String> operators() {
        return List.of("LeakyRelu");
    }

    @Override
    public Exported export(Request r) {
        float slope = ((Number) r.attributes().getOrDefault("negative_slope", 0.01f)).floatValue();
        return new Exported(List.of(new Node("LeakyRelu", r.inputs(), List.of(r.output()), Map.of("alpha", slope))), Map.of());
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        String x = g.computedInput(node, 0);
        float alpha = node.floatAttr("alpha", 0.01f);
        if (!(alpha >= 0)) {
            throw g.refuse(node, "has alpha " + alpha + "; Propel's leaky_relu takes a negative_slope of 0 or more");
        }
        g.addLayer(node, "leaky_relu", Map.of("negative_slope", alpha), List.of(x), Map.of(), node.output(), g.shape(x));
    }
}
