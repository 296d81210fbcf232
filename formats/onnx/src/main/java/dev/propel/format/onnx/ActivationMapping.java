package dev.propel.format.onnx;

import java.util.List;
import java.util.Map;

/**
 * An attribute-free element-wise activation: {@code relu} ↔ {@code Relu}, {@code sigmoid} ↔ {@code Sigmoid},
 * {@code tanh} ↔ {@code Tanh}.
 */
final class ActivationMapping implements LayerMapping {
    private final String layerType;
    private final String operator;

    ActivationMapping(String layerType, String operator) {
        this.layerType = layerType;
        this.operator = operator;
    }

    @Override
    public List<String> layerTypes() {
        return List.of(layerType);
    }

    @Override
    public List<String> operators() {
        return List.of(operator);
    }

    @Override
    public Exported export(Request r) {
        return new Exported(List.of(Node.of(operator, r.inputs(), r.output())), Map.of());
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        String x = g.computedInput(node, 0);
        g.addLayer(node, layerType, Map.of(), List.of(x), Map.of(), node.output(), g.shape(x));
    }
}
