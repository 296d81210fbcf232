package dev.propel.testkit;

import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.tensor.Tensor;

import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Calls a layer the way a model session does: a layer reading one input through
 * {@link Layer#forward(Tensor, LayerContext)} and {@link Layer#backward}, a layer reading several
 * through {@link Layer#forward(List, LayerContext)} and {@link Layer#backwardInputs}.
 */
final class LayerCalls {
    private LayerCalls() {
    }

    static Tensor forward(Layer layer, List<Tensor> inputs, LayerContext ctx) {
        return inputs.size() == 1 ? layer.forward(inputs.getFirst(), ctx) : layer.forward(inputs, ctx);
    }

    /**
     * One input gradient per input ({@code null} where not needed). Throws {@link AssertionError} when a
     * multi-input layer returns a list of the wrong length.
     */
    static List<Tensor> backward(Layer layer, Tensor gradOutput, LayerContext ctx, int inputs) {
        if (inputs == 1) return Collections.singletonList(layer.backward(gradOutput, ctx));
        List<Tensor> grads = layer.backwardInputs(gradOutput, ctx);
        if (grads == null || grads.size() != inputs) {
            throw new AssertionError("layer '" + layer.name() + "' (" + layer.typeId() + ") reads " + inputs
                    + " inputs but backwardInputs returned " + (grads == null ? "null" : grads.size() + " gradient(s)")
                    + "; return one per input, null where ctx.needsInputGradient(i) is false");
        }
        return grads;
    }

    /** Deep copies (null stays null), so that results survive the next pass reusing the context's buffers. */
    static List<Tensor> copies(List<Tensor> tensors) {
        return tensors.stream().map(t -> t == null ? null : t.copy()).collect(Collectors.toList());
    }
}
