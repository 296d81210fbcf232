package dev.propel.spi;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One layer of a model. Made by a {@link LayerFactory}; holds its configuration, its learnable
 * parameters and its {@link #state() state}, and nothing that changes during a backward pass:
 * everything a pass needs to remember (saved inputs, scratch buffers, parameter gradients) lives in
 * the {@link LayerContext}. That is what makes {@code Model.predict} safe to call from many threads at
 * once.
 *
 * <p>Tensors passed to {@link #forward} have the batch as their first dimension, followed by
 * {@link #inputShape()}. A layer reads one input; a layer with several (e.g. {@code add}, {@code concat})
 * implements {@link MultiInputLayer}. The model calls {@link #forward(List, LayerContext)} and
 * {@link #backwardInputs}, whose defaults hand the single input to {@link #forward(Tensor, LayerContext)}
 * and {@link #backward}.
 *
 * <p><b>Aliasing rule.</b> A layer never writes into a tensor it is given (its inputs in forward; the
 * output gradient and its saved tensors in backward), and what it returns from {@code forward} is never
 * one of its inputs, nor a view of one: an identity at inference (dropout) copies. Returned tensors may be
 * context buffers that the next call overwrites. The testkit checks both rules.
 */
public interface Layer {

    /** The stable type id of the factory that made this layer, e.g. {@code "dense"}. */
    String typeId();

    /** Unique name within its model, e.g. {@code "dense_0"}; prefixes its parameter names. */
    String name();

    /** The resolved attributes this layer was created with. */
    Attributes attributes();

    /** Per-sample input shape (of the first input, for a layer with several). */
    Shape inputShape();

    /** Per-sample shape of each input, in input order. */
    default List<Shape> inputShapes() {
        return List.of(inputShape());
    }

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
     * Layer state by local name: tensors the layer keeps that no optimizer trains, such as batch
     * norm's {@code running_mean}. Live tensors, saved and loaded with the model (role {@code STATE}),
     * included in early-stopping snapshots, never given to an optimizer or to weight decay. A layer
     * updates its state only in a training forward pass ({@code ctx.training()}); inference passes
     * only read it, so concurrent {@code predict} calls stay safe.
     */
    default Map<String, Tensor> state() {
        return Map.of();
    }

    /** What the layer declares itself to be, for algorithms that need to know (see {@link LayerCapability}); none by default. */
    default Set<LayerCapability> capabilities() {
        return Set.of();
    }

    /**
     * Computes the output for a batch. When {@code ctx.training()} the layer saves in {@code ctx}
     * whatever {@link #backward} will need. The returned tensor may be a context buffer that the next
     * call overwrites; it is never {@code input} itself.
     */
    Tensor forward(Tensor input, LayerContext ctx);

    /**
     * Given ∂L/∂output, adds ∂L/∂parameter into {@code ctx.gradient(name)} for each parameter and
     * returns ∂L/∂input (or {@code null} when {@code !ctx.needsInputGradient()}).
     */
    Tensor backward(Tensor gradOutput, LayerContext ctx);

    /** Forward over all inputs, in input order; the default passes the only input to {@link #forward(Tensor, LayerContext)}. */
    default Tensor forward(List<Tensor> inputs, LayerContext ctx) {
        if (inputs.size() != 1) {
            throw new IllegalStateException("layer '" + name() + "' (" + typeId() + ") reads one input but was given "
                    + inputs.size() + "; a layer with several inputs implements MultiInputLayer");
        }
        return forward(inputs.getFirst(), ctx);
    }

    /**
     * ∂L/∂input for each input, in input order; an entry is {@code null} where
     * {@code !ctx.needsInputGradient(i)}. The default wraps {@link #backward}.
     */
    default List<Tensor> backwardInputs(Tensor gradOutput, LayerContext ctx) {
        return Collections.singletonList(backward(gradOutput, ctx));
    }
}
