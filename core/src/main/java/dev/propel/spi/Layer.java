package dev.propel.spi;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.Map;

/**
 * One layer of a model. Made by a {@link LayerFactory}; holds its configuration and its learnable
 * parameters, and nothing that changes during a forward or backward pass: everything a pass needs
 * to remember (saved inputs, scratch buffers, parameter gradients) lives in the {@link LayerContext}.
 * That is what makes {@code Model.predict} safe to call from many threads at once.
 *
 * <p>Tensors passed to {@link #forward} have the batch as their first dimension, followed by
 * {@link #inputShape()}.
 */
public interface Layer {

    /** The stable type id of the factory that made this layer, e.g. {@code "dense"}. */
    String typeId();

    /** Unique name within its model, e.g. {@code "dense_0"}; prefixes its parameter names. */
    String name();

    /** The resolved attributes this layer was created with. */
    Attributes attributes();

    /** Per-sample input shape. */
    Shape inputShape();

    /** Per-sample output shape. */
    Shape outputShape();

    /**
     * Learnable parameters by local name (e.g. {@code "weight"}, {@code "bias"}), in a stable order.
     * The tensors are live: optimizers update them in place and loaders copy saved values into them.
     */
    default Map<String, Tensor> parameters() {
        return Map.of();
    }

    /**
     * Computes the output for a batch. When {@code ctx.training()} the layer saves in {@code ctx}
     * whatever {@link #backward} will need. The returned tensor may be a context buffer that the next
     * call overwrites.
     */
    Tensor forward(Tensor input, LayerContext ctx);

    /**
     * Given ∂L/∂output, adds ∂L/∂parameter into {@code ctx.gradient(name)} for each parameter and
     * returns ∂L/∂input (or {@code null} when {@code !ctx.needsInputGradient()}).
     */
    Tensor backward(Tensor gradOutput, LayerContext ctx);
}
