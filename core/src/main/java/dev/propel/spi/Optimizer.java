package dev.propel.spi;

import dev.propel.kernel.Kernels;
import dev.propel.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients. Its state (moments, accumulators) is kept per parameter
 * name as named tensors, so it can be saved and training resumed exactly.
 */
public interface Optimizer {

    /** The type id this optimizer was created for, e.g. {@code adam}. */
    String typeId();

    /** The resolved attributes (defaults filled in), as saved in model files. */
    Attributes attributes();

    /** The configured base learning rate; schedules scale it. */
    float learningRate();

    /** Applies one update to every parameter with the given (scheduled) learning rate. */
    void step(List<Parameter> parameters, float learningRate, Kernels kernels);

    /** Number of {@link #step} calls so far. */
    long stepCount();

    /** State tensors by name, {@code "<parameter>/<slot>"}, e.g. {@code "dense_0.weight/m"}. */
    Map<String, Tensor> state();

    /** Restores state saved from {@link #state()} and {@link #stepCount()}. */
    void loadState(Map<String, Tensor> state, long stepCount);
}
