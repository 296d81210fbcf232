package dev.propel.format.onnx;

import dev.propel.model.LayerInfo;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFormatException;
import dev.propel.model.PredictionRule;
import dev.propel.model.SavedModel;
import dev.propel.spi.OperatorExport.Exported;
import dev.propel.spi.OperatorExport.Node;
import dev.propel.tensor.Tensor;
import dev.propel.train.ff.RmsNorm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Forward-Forward model with the softmax-head rule as one ONNX graph, the pass Propel predicts with:
 * the neutral label written into the first {@code classes} features, every block's input divided by its
 * root-mean-square ({@code x / (tiny + √mean(x²))}), the counted blocks' normalised activities joined and
 * fed to the head ({@code x·W + b}); the output {@value #OUTPUT} holds the head's logits (the predicted
 * class is their argmax). The goodness rule (one pass per candidate label) is refused: see
 * {@link #requireExportable}.
 */
final class ForwardForwardExport {
    static final String RULE = "forward_forward";
    static final String OUTPUT = "ff_scores";
    private static final String P = "ff/";

    private final SavedModel model;
    private final Map<String, Object> settings;
    private final int classes;
    private final List<Integer> blockStarts = new ArrayList<>();

    ForwardForwardExport(SavedModel model) {
        this.model = model;
        this.settings = model.prediction().attributes();
        this.classes = ((Number) settings.get("classes")).intValue();
        List<LayerSpec> layers = model.spec().layers();
        for (int i = 0; i < layers.size(); i++) {
            String prefix = layers.get(i).name() + ".";
            if (model.parameters().keySet().stream().anyMatch(k -> k.startsWith(prefix))) blockStarts.add(i);
        }
    }

    /** Refuses a model whose prediction rule has no ONNX graph here, naming the rule and the way out. */
    static void requireExportable(SavedModel model) {
        PredictionRule rule = model.prediction();
        if (!rule.type().equals(RULE)) {
            throw new ModelFormatException("cannot export a model that predicts with rule '" + rule.type() + "' to ONNX: only argmax,"
                    + " identity and Forward-Forward's softmax rule have an ONNX graph");
        }
        Object r = rule.attributes().get("prediction_rule");
        if (!"softmax".equals(r)) {
            throw new ModelFormatException("cannot export this Forward-Forward model to ONNX: it predicts with the '" + r + "' rule"
                    + " (one pass per candidate label, summing goodness), which is not exportable as one graph; train it with"
                    + " --prediction-rule softmax (a neutral-label pass and a softmax head, which exports), or run it with propel predict");
        }
        if (model.isGraph()) throw new ModelFormatException("cannot export a Forward-Forward graph model to ONNX; FF models are stacks");
    }

    int classes() {
        return classes;
    }

    /** The value layer {@code i} reads in place of its saved input: the block input's normalised form. */
    String inputFor(int i, String saved) {
        return blockStarts.contains(i) ? normName(saved) : saved;
    }

    /** The operators to emit before layer {@code i}: the normalised input of the block it starts. */
    Exported before(int i, String saved, int cols) {
        if (!blockStarts.contains(i)) return new Exported(List.of(), Map.of());
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> constants = new LinkedHashMap<>();
        String x = saved;
        if (i == blockStarts.getFirst()) {
            float strength = ((Number) settings.get("label_strength")).floatValue();
            Tensor keep = Tensor.zeros(cols);
            Tensor neutral = Tensor.zeros(cols);
            for (int c = 0; c < cols; c++) {
                keep.data()[c] = c < classes ? 0f : 1f;
                neutral.data()[c] = c < classes ? strength / classes : 0f;
            }
            constants.put(P + "label_keep", keep);
            constants.put(P + "label_neutral", neutral);
            nodes.add(Node.of("Mul", List.of(saved, P + "label_keep"), P + "unlabelled"));
            nodes.add(Node.of("Add", List.of(P + "unlabelled", P + "label_neutral"), P + "neutral_input"));
            x = P + "neutral_input";
        }
        rmsNorm(nodes, constants, x, normName(saved));
        return new Exported(nodes, constants, Map.of(P + "last_axis", List.of(-1L)));
    }

    /** The normalisation of the last block, the join of the counted blocks and the head. */
    Exported head() {
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> constants = new LinkedHashMap<>();
        List<LayerSpec> layers = model.spec().layers();
        int first = ((Number) settings.get("first_counted_block")).intValue();
        List<String> counted = new ArrayList<>();
        for (int b = 0; b < blockStarts.size(); b++) {
            int end = b + 1 < blockStarts.size() ? blockStarts.get(b + 1) - 1 : layers.size() - 1;
            String out = layers.get(end).name();
            if (b == blockStarts.size() - 1) rmsNorm(nodes, constants, out, normName(out));
            if (b >= first) counted.add(normName(out));
        }
        String joined = counted.size() == 1 ? counted.getFirst() : P + "counted";
        if (counted.size() > 1) nodes.add(new Node("Concat", counted, List.of(joined), Map.of("axis", 1L)));
        List<String> tensors = model.prediction().tensorNames();
        String weight = tensors.stream().filter(t -> t.endsWith("weight")).findFirst().orElseThrow(() -> missing("weight"));
        String bias = tensors.stream().filter(t -> t.endsWith("bias")).findFirst().orElseThrow(() -> missing("bias"));
        constants.put(weight, model.parameters().get(weight));
        constants.put(bias, model.parameters().get(bias));
        nodes.add(Node.of("MatMul", List.of(joined, weight), P + "head_product"));
        nodes.add(Node.of("Add", List.of(P + "head_product", bias), OUTPUT));
        return new Exported(nodes, constants, Map.of(P + "last_axis", List.of(-1L)));
    }

    private static ModelFormatException missing(String what) {
        return new ModelFormatException("cannot export the Forward-Forward model: its softmax head has no " + what + " tensor");
    }

    /** {@code out = x / (tiny + √mean(x², last axis))}, Propel's {@link RmsNorm} as operators. */
    private static void rmsNorm(List<Node> nodes, Map<String, Tensor> constants, String x, String out) {
        String p = out + "/";
        constants.put(P + "tiny", Tensor.of(new float[] {RmsNorm.TINY}, 1));
        nodes.add(Node.of("Mul", List.of(x, x), p + "squares"));
        nodes.add(new Node("ReduceMean", List.of(p + "squares", P + "last_axis"), List.of(p + "mean_square"), Map.of("keepdims", 1L)));
        nodes.add(Node.of("Sqrt", List.of(p + "mean_square"), p + "rms"));
        nodes.add(Node.of("Add", List.of(p + "rms", P + "tiny"), p + "divisor"));
        nodes.add(Node.of("Div", List.of(x, p + "divisor"), out));
    }

    private static String normName(String value) {
        return P + "normalised/" + (value.equals(LayerInfo.MODEL_INPUT) ? "input" : value);
    }
}
