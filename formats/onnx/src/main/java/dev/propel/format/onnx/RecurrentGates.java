package dev.propel.format.onnx;

import dev.propel.tensor.Tensor;

import java.util.List;

/**
 * The gate blocks of Propel's (PyTorch's) recurrent weights and ONNX's, and the copying between them.
 * Propel stacks them as PyTorch: lstm i, f, g, o; gru r, z, n; rnn one block. ONNX stacks LSTM as
 * i, o, f, c and GRU as z, r, h; {@code onnxFromPropel[j]} is the Propel block that ONNX block j holds.
 */
enum RecurrentGates {
    RNN("rnn", "RNN", new int[] {0}),
    LSTM("lstm", "LSTM", new int[] {0, 3, 1, 2}),
    GRU("gru", "GRU", new int[] {1, 0, 2});

    final String layerType;
    final String operator;
    private final int[] onnxFromPropel;

    RecurrentGates(String layerType, String operator, int[] onnxFromPropel) {
        this.layerType = layerType;
        this.operator = operator;
        this.onnxFromPropel = onnxFromPropel;
    }

    int count() {
        return onnxFromPropel.length;
    }

    static RecurrentGates ofLayer(String type) {
        for (RecurrentGates g : values()) if (g.layerType.equals(type)) return g;
        throw new IllegalArgumentException(type);
    }

    static RecurrentGates ofOperator(String op) {
        for (RecurrentGates g : values()) if (g.operator.equals(op)) return g;
        throw new IllegalArgumentException(op);
    }

    static List<String> layerTypes() {
        return List.of(RNN.layerType, LSTM.layerType, GRU.layerType);
    }

    static List<String> operators() {
        return List.of(RNN.operator, LSTM.operator, GRU.operator);
    }

    /**
     * Copies the Propel tensor {@code from} (G blocks of {@code blockSize} values each, in Propel's order) into
     * {@code to} at {@code toOffset} in ONNX's order.
     */
    void toOnnx(Tensor from, float[] to, int toOffset, int blockSize) {
        Tensor src = from.contiguous();
        for (int j = 0; j < onnxFromPropel.length; j++) {
            System.arraycopy(src.data(), src.offset() + onnxFromPropel[j] * blockSize, to, toOffset + j * blockSize, blockSize);
        }
    }

    /** The inverse of {@link #toOnnx}: G blocks of {@code from} at {@code fromOffset}, in ONNX's order, into {@code to} in Propel's. */
    void fromOnnx(float[] from, int fromOffset, Tensor to, int blockSize) {
        for (int j = 0; j < onnxFromPropel.length; j++) {
            System.arraycopy(from, fromOffset + j * blockSize, to.data(), to.offset() + onnxFromPropel[j] * blockSize, blockSize);
        }
    }
}
