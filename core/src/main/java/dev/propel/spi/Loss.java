package dev.propel.spi;

import dev.propel.kernel.Kernels;
import dev.propel.tensor.Tensor;

/** A training objective comparing a model's output with targets of the same shape. */
public interface Loss {

    /** The type id this loss was created for, e.g. {@code cross_entropy}. */
    String typeId();

    /** The resolved attributes (defaults filled in), as saved in model files. */
    Attributes attributes();

    /**
     * Returns the loss averaged over the batch. When {@code gradient} is non-null (same shape as
     * {@code predictions}), writes ∂loss/∂predictions into it.
     */
    float compute(Tensor predictions, Tensor targets, Tensor gradient, Kernels kernels);
}
