package dev.propel.spi;

import dev.propel.tensor.Shape;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What a {@link LayerFactory} gets to create a layer: its name, its resolved attributes, the
 * per-sample shape of each input with the name of the node it comes from ({@code "input"} for the
 * model input), and a seeded generator for initial parameter values.
 */
public record LayerSetup(String name, Attributes attributes, List<Shape> inputShapes, List<String> inputNames,
                         RandomGenerator random) {

    /**
     * Copies the lists; throws {@link IllegalArgumentException} unless there is one input name per (at least one)
     * input shape.
     */
    public LayerSetup {
        inputShapes = List.copyOf(inputShapes);
        inputNames = List.copyOf(inputNames);
        if (inputShapes.isEmpty() || inputShapes.size() != inputNames.size()) {
            throw new IllegalArgumentException("a layer setup needs one name per input shape; got shapes " + inputShapes
                    + " and names " + inputNames);
        }
    }

    /** A layer reading one input. */
    public LayerSetup(String name, Attributes attributes, Shape inputShape, RandomGenerator random) {
        this(name, attributes, List.of(inputShape), List.of("input"), random);
    }

    /** The per-sample shape of the (first) input. */
    public Shape inputShape() {
        return inputShapes.getFirst();
    }

    /** "layer 'dense_0' (dense)" — how errors refer to the layer being made. */
    public String describe(String typeId) {
        return "layer '" + name + "' (" + typeId + ")";
    }

    /**
     * Refuses a layer that reads more than one input, naming the layer and its inputs. Single-input
     * factories call this (the model builder calls it for them when they do not).
     */
    public void requireSingleInput(String typeId) {
        if (inputShapes.size() != 1) {
            throw new PropelException(describe(typeId) + " reads one input but the spec gives it " + inputShapes.size()
                    + ": " + inputNames + "; combine them first with 'add' or 'concat'");
        }
    }
}
