package dev.propel.format.onnx;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rnn}, {@code lstm}, {@code gru} ↔ ONNX {@code RNN}, {@code LSTM}, {@code GRU} (layout 0, time-major).
 *
 * <p>Export: {@code Transpose} of the {@code [batch, T, F]} input to {@code [T, batch, F]}; one operator per
 * stacked layer, both directions in one ({@code direction = "bidirectional"}), the weights of a layer
 * stacked over the directions as ONNX wants ({@code W [D, G·H, F]}, {@code R [D, G·H, H]},
 * {@code B [D, 2·G·H]} = the input biases then the recurrent ones) with the gate blocks reordered
 * ({@link RecurrentGates}); GRU with {@code linear_before_reset = 1}, PyTorch's (and Propel's) formula
 * {@code n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))}. Between stacked layers {@code Y [T, D, batch, H]}
 * becomes the next input by {@code Transpose} and {@code Reshape} to {@code [T, batch, D·H]}. The output:
 * with {@code return_sequences} {@code Y} turned to {@code [batch, T, D·H]}; else the final states
 * {@code Y_h [D, batch, H]} turned to {@code [batch, D·H]}, which are Propel's "last step" (the backward
 * direction's final state is at step 0).
 *
 * <p>Import: see {@link RecurrentImport}; this class dispatches the recurrent operators to it, and
 * {@link LayerNormMapping} (which claims {@code Transpose}) a Transpose of a computed value that is not
 * followed by a LayerNormalization (the time-major input).
 */
final class RecurrentMapping implements LayerMapping {

    @Override
    public List<String> layerTypes() {
        return RecurrentGates.layerTypes();
    }

    @Override
    public List<String> operators() {
        // Transpose is claimed by LayerNormMapping, which hands a Transpose not followed by a LayerNormalization to
        // RecurrentImport.transposeInput: one operator, one mapping.
        return RecurrentGates.operators();
    }

    @Override
    public Exported export(Request r) {
        RecurrentGates gates = RecurrentGates.ofLayer(r.type());
        int hidden = ((Number) r.attributes().get("hidden_size")).intValue();
        int layers = ((Number) r.attributes().getOrDefault("num_layers", 1)).intValue();
        boolean bidirectional = Boolean.TRUE.equals(r.attributes().get("bidirectional"));
        boolean sequences = Boolean.TRUE.equals(r.attributes().get("return_sequences"));
        int directions = bidirectional ? 2 : 1;
        Shape in = r.inputShapes().getFirst();
        int rows = gates.count() * hidden;
        String p = r.prefix();
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> constants = new LinkedHashMap<>();
        Map<String, List<Long>> intConstants = new LinkedHashMap<>();
        String x = p + "X";
        nodes.add(new Node("Transpose", List.of(r.inputs().getFirst()), List.of(x), Map.of("perm", List.of(1L, 0L, 2L))));
        for (int l = 0; l < layers; l++) {
            int inWidth = l == 0 ? in.dim(1) : directions * hidden;
            Tensor w = Tensor.zeros(directions, rows, inWidth);
            Tensor rec = Tensor.zeros(directions, rows, hidden);
            boolean bias = r.parameters().containsKey("bias_ih_l" + l);
            Tensor b = bias ? Tensor.zeros(directions, 2 * rows) : null;
            for (int d = 0; d < directions; d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                gates.toOnnx(r.parameters().get("weight_ih" + suffix), w.data(), d * rows * inWidth, hidden * inWidth);
                gates.toOnnx(r.parameters().get("weight_hh" + suffix), rec.data(), d * rows * hidden, hidden * hidden);
                if (bias) {
                    gates.toOnnx(r.parameters().get("bias_ih" + suffix), b.data(), d * 2 * rows, hidden);
                    gates.toOnnx(r.parameters().get("bias_hh" + suffix), b.data(), d * 2 * rows + rows, hidden);
                }
            }
            List<String> inputs = new ArrayList<>(List.of(x, p + "W_l" + l, p + "R_l" + l));
            constants.put(p + "W_l" + l, w);
            constants.put(p + "R_l" + l, rec);
            if (bias) {
                inputs.add(p + "B_l" + l);
                constants.put(p + "B_l" + l, b);
            }
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("hidden_size", (long) hidden);
            attributes.put("direction", bidirectional ? "bidirectional" : "forward");
            if (gates == RecurrentGates.GRU) attributes.put("linear_before_reset", 1L);
            if (gates == RecurrentGates.RNN && "relu".equals(r.attributes().get("nonlinearity"))) {
                attributes.put("activations", bidirectional ? List.of("Relu", "Relu") : List.of("Relu"));
            }
            boolean top = l == layers - 1;
            String y = p + "Y_l" + l;
            if (top && !sequences) {
                String yh = p + "Y_h";
                nodes.add(new Node(gates.operator, inputs, List.of("", yh), attributes));
                nodes.add(new Node("Transpose", List.of(yh), List.of(p + "Y_h_batch"), Map.of("perm", List.of(1L, 0L, 2L))));
                nodes.add(Node.of("Reshape", List.of(p + "Y_h_batch", p + "last_shape"), r.output()));
                intConstants.put(p + "last_shape", List.of(0L, -1L));
            } else {
                nodes.add(new Node(gates.operator, inputs, List.of(y), attributes));
                String next = top ? p + "Y_batch" : p + "Y_time_l" + l;
                // [T, D, batch, H] to [batch, T, D, H] (the output) or [T, batch, D, H] (the next layer's input)
                nodes.add(new Node("Transpose", List.of(y), List.of(next), Map.of("perm", top ? List.of(2L, 0L, 1L, 3L) : List.of(0L, 2L, 1L, 3L))));
                x = top ? r.output() : p + "X_l" + (l + 1);
                nodes.add(Node.of("Reshape", List.of(next, p + "sequence_shape"), x));
                intConstants.put(p + "sequence_shape", List.of(0L, 0L, -1L));
            }
        }
        return new Exported(nodes, constants, intConstants);
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        RecurrentImport.recurrent(g, node);
    }
}
