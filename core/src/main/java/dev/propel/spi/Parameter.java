package dev.propel.spi;

import dev.propel.tensor.Tensor;

/** A learnable tensor with its full name (e.g. {@code "dense_0.weight"}) and its gradient. */
public record Parameter(String name, Tensor value, Tensor gradient) {
}
