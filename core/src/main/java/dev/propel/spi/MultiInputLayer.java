package dev.propel.spi;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.List;

/**
 * A layer that reads several inputs, such as {@code add} or {@code concat}. It implements the list
 * forms of {@link Layer#forward(List, LayerContext)} and {@link Layer#backwardInputs}; the single-input
 * forms are adapters.
 *
 * <p>Input gradients may be the same tensor for several inputs (an {@code add} passes ∂L/∂output to
 * each): the model never writes into a gradient a layer returned.
 */
public interface MultiInputLayer extends Layer {

    @Override
    List<Shape> inputShapes();

    @Override
    default Shape inputShape() {
        return inputShapes().getFirst();
    }

    @Override
    Tensor forward(List<Tensor> inputs, LayerContext ctx);

    @Override
    List<Tensor> backwardInputs(Tensor gradOutput, LayerContext ctx);

    @Override
    default Tensor forward(Tensor input, LayerContext ctx) {
        return forward(List.of(input), ctx);
    }

    @Override
    default Tensor backward(Tensor gradOutput, LayerContext ctx) {
        List<Tensor> grads = backwardInputs(gradOutput, ctx);
        if (grads.size() != 1) {
            throw new IllegalStateException("layer '" + name() + "' (" + typeId() + ") has " + grads.size()
                    + " inputs; call backwardInputs");
        }
        return grads.getFirst();
    }
}
