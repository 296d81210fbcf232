package dev.propel.model;

import java.util.List;
import java.util.Objects;

/**
 * Where a saved layer sits in the graph: its name, the names of the layers (or {@code "input"}) it
 * reads, and its per-sample input (the first input's, for a layer with several) and output shapes
 * (empty when unknown, as in a hand-written spec).
 */
public record LayerInfo(String name, List<String> inputs, List<Integer> inputShape, List<Integer> outputShape) {
    /** The name a layer uses to read the model input. */
    public static final String MODEL_INPUT = "input";

    /** Checks the name and copies the input names and shapes. */
    public LayerInfo {
        Objects.requireNonNull(name, "name");
        inputs = List.copyOf(inputs);
        inputShape = List.copyOf(inputShape);
        outputShape = List.copyOf(outputShape);
    }
}
