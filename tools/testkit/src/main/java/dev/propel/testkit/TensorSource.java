package dev.propel.testkit;

import dev.propel.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * Draws a test tensor of the given full shape (batch first) from a seeded generator, e.g.
 * {@code RandomTensors::normal} or {@code (rng, dims) -> RandomTensors.awayFromZero(rng, 0.05f, 2f, dims)}.
 */
@FunctionalInterface
public interface TensorSource {

    /** A new tensor of shape {@code dims} (batch first) with values drawn from {@code rng}. */
    Tensor draw(RandomGenerator rng, int... dims);

    /** Independent N(0, 1) values: the default for layer inputs and loss predictions. */
    static TensorSource normal() {
        return RandomTensors::normal;
    }
}
