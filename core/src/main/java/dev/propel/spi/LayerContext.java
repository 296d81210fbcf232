package dev.propel.spi;

import dev.propel.kernel.Kernels;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

/**
 * The per-pass state of one layer: one context per layer per training session or per prediction
 * call. Buffers are reused from step to step, so a training step in steady state allocates nothing.
 */
public interface LayerContext {

    /** The kernels to compute with (the registry's; never loop over floats in a layer). */
    Kernels kernels();

    /** True in training passes (dropout active, inputs saved for backward). */
    boolean training();

    /** A seed for this layer and this step (e.g. for dropout masks); differs per layer and per step. */
    long seed();

    /** A scratch tensor of the given shape, owned by this context and reused across calls with the same key. */
    Tensor buffer(String key, Shape shape);

    /** Remembers a tensor for {@link Layer#backward}. */
    void save(String key, Tensor tensor);

    /** A tensor remembered with {@link #save}; an error naming the key if there is none. */
    Tensor saved(String key);

    /**
     * False when no input's gradient is needed: nothing upstream of this layer has parameters (e.g. the
     * first layer of a model).
     */
    boolean needsInputGradient();

    /**
     * Whether input {@code input}'s gradient is needed: some layer upstream of that input has
     * parameters. A multi-input layer may return {@code null} for the others.
     */
    default boolean needsInputGradient(int input) {
        return needsInputGradient();
    }

    /** The gradient accumulator of parameter {@code name} (zeroed before each backward pass). */
    Tensor gradient(String name);
}
