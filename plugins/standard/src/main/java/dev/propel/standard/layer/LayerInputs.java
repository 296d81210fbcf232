package dev.propel.standard.layer;

import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

/** Shape checks shared by the standard layers. They allocate nothing unless they throw. */
final class LayerInputs {
    private LayerInputs() {
    }

    /**
     * Requires {@code input} to be {@code [batch, perSample...]}; otherwise throws a
     * {@link ShapeException} naming the layer, the expected and the actual shape.
     */
    static void requireBatchOf(String layer, Shape perSample, Tensor input) {
        Shape s = input.shape();
        boolean ok = s.rank() == perSample.rank() + 1;
        for (int i = 0; ok && i < perSample.rank(); i++) {
            ok = s.dim(i + 1) == perSample.dim(i);
        }
        if (!ok) {
            throw new ShapeException(layer + ": expected input of shape [batch, "
                    + perSample.toString().substring(1) + " but got " + s
                    + "; the per-sample shape must be " + perSample);
        }
    }

    /**
     * Requires ∂L/∂output to hold exactly one value per output element of the last forward pass
     * ({@code outputSize} values); the caller may have flattened it.
     */
    static void requireGradientSize(String layer, int outputSize, Tensor gradOutput, Shape outputShape) {
        if (gradOutput.size() != outputSize) {
            throw new ShapeException(layer + ": backward expected an output gradient with " + outputSize
                    + " values (shape " + outputShape + ", the last forward output) but got shape "
                    + gradOutput.shape() + " with " + gradOutput.size() + " values");
        }
    }
}
