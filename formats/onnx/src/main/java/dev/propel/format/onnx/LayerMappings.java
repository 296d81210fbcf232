package dev.propel.format.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The built-in mappings between Propel layers and ONNX operators. A new layer family (conv, pooling,
 * normalisation, recurrent: see docs/onnx.md, "Planned") is one {@link LayerMapping} class added here.
 */
final class LayerMappings {
    static final List<LayerMapping> ALL = List.of(
            new DenseMapping(),
            new ActivationMapping("relu", "Relu"),
            new ActivationMapping("sigmoid", "Sigmoid"),
            new ActivationMapping("tanh", "Tanh"),
            new LeakyReluMapping(),
            new GeluMapping(),
            new SoftmaxMapping(),
            new PassThroughMapping(),
            new AddMapping(),
            new ConcatMapping(),
            new FlattenMapping(),
            new ReshapeMapping(),
            // recurrent layers (rnn, lstm, gru)
            new RecurrentMapping(),
            // the convolutional layers (conv, pooling, normalisation, layer scale)
            new ConvMapping(),
            new PoolMapping(),
            new GlobalPoolMapping(),
            new BatchNormMapping(),
            new LayerNormMapping(),
            new LayerScaleMapping());

    private static final Map<String, LayerMapping> BY_LAYER = new LinkedHashMap<>();
    private static final Map<String, LayerMapping> BY_OPERATOR = new LinkedHashMap<>();

    static {
        for (LayerMapping m : ALL) {
            m.layerTypes().forEach(t -> BY_LAYER.put(t, m));
            m.operators().forEach(o -> BY_OPERATOR.put(o, m));
        }
    }

    private LayerMappings() {
    }

    /** The built-in mapping that exports layers of {@code type}, or null. */
    static LayerMapping forLayer(String type) {
        return BY_LAYER.get(type);
    }

    /** The mapping that imports {@code operator} (default domain), or null. */
    static LayerMapping forOperator(String operator) {
        return BY_OPERATOR.get(operator);
    }

    /** Every operator import accepts, sorted, with the ones folded as constants ({@code Constant}). */
    static List<String> importedOperators() {
        TreeSet<String> all = new TreeSet<>(BY_OPERATOR.keySet());
        all.add("Constant");
        return new ArrayList<>(all);
    }

    /** Every layer type export writes with the built-in mappings, sorted. */
    static List<String> exportedLayers() {
        return new ArrayList<>(new TreeSet<>(BY_LAYER.keySet()));
    }
}
