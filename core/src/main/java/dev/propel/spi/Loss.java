package dev.propel.spi;

import dev.propel.kernel.Kernels;
import dev.propel.tensor.Tensor;

/** A training objective comparing a model's output with targets of the same shape. */
public interface Loss {

    String typeId();

    Attributes attributes();

    /**
     * Returns the loss averaged over the batch. When {@code gradient} is non-null (same shape as
     * {@code predictions}), writes ∂loss/∂predictions into it.
     */
    float compute(Tensor predictions, Tensor targets, Tensor gradient, Kernels kernels);
}
