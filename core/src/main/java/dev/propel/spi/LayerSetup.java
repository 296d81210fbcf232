package dev.propel.spi;

import dev.propel.tensor.Shape;

import java.util.random.RandomGenerator;

/**
 * What a {@link LayerFactory} gets to create a layer: its name, its resolved attributes, the
 * per-sample input shape, and a seeded generator for initial parameter values.
 */
public record LayerSetup(String name, Attributes attributes, Shape inputShape, RandomGenerator random) {

    /** "layer 'dense_0' (dense)" — how errors refer to the layer being made. */
    public String describe(String typeId) {
        return "layer '" + name + "' (" + typeId + ")";
    }
}
