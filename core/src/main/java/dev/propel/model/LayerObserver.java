package dev.propel.model;

import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.tensor.Tensor;

/**
 * Watches the tensors that pass through each layer of a {@link ModelSession}: what a layer received and
 * produced in the forward pass, and the gradients in the backward pass. For tools that show or check a
 * training step ({@code propel trace}, debugging a layer); the session calls nothing when no observer is set.
 *
 * <p>The tensors are the session's working buffers, reused at the next step: copy what must outlive the call.
 */
public interface LayerObserver {

    /** Layer {@code index} (in execution order) turned {@code input} (its first input, for a layer with several) into {@code output}. */
    default void onForward(int index, Layer layer, Tensor input, Tensor output) {
    }

    /**
     * Layer {@code index} turned ∂L/∂output ({@code gradOutput}) into ∂L/∂input ({@code gradInput}: of its first
     * input, null when nobody needs it, e.g. for the first layer). Layers with no parameters upstream run no
     * backward pass and are not reported. Its parameter gradients are in {@code ctx.gradient(name)}
     * for each name of {@link Layer#parameters()}; they keep accumulating until the step's update.
     */
    default void onBackward(int index, Layer layer, Tensor gradOutput, Tensor gradInput, LayerContext ctx) {
    }
}
