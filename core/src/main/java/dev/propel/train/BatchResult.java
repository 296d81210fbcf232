package dev.propel.train;

/** One training step: epoch (from 1), batch index within the epoch (from 0), its size and loss. */
public record BatchResult(int epoch, int batch, int size, float loss, float learningRate) {
}
