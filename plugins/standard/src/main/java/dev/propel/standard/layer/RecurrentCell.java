package dev.propel.standard.layer;

/**
 * The cell of a recurrent layer: how many gate blocks of {@code hidden_size} rows its weights stack
 * (PyTorch's layout) and what it saves per step for backpropagation through time.
 */
enum RecurrentCell {
    /** Elman RNN with tanh: {@code h = tanh(W_ih x + b_ih + W_hh h_prev + b_hh)}. */
    RNN_TANH(1),
    /** Elman RNN with ReLU. */
    RNN_RELU(1),
    /** LSTM, gates i, f, g, o. */
    LSTM(4),
    /** GRU, gates r, z, n. */
    GRU(3);

    final int gates;

    RecurrentCell(int gates) {
        this.gates = gates;
    }
}
