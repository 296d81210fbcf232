/**
 * The standard layers: dense, activations, convolution and pooling, normalisation, dropout, reshape,
 * recurrent layers (RNN, LSTM, GRU) and the graph layers that combine several inputs (add, concat).
 */
package dev.propel.standard.layer;
