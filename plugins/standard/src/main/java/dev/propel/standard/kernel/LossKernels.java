package dev.propel.standard.kernel;

import dev.propel.spi.KernelFamily;

/**
 * Loss-specific kernels of the standard plugin's losses (not part of the core's {@code Kernels}). Only
 * a scalar implementation: a loss is one pass per batch, and its logarithms are computed in double.
 */
public interface LossKernels {

    /**
     * Binary cross-entropy. With {@code fromLogits == false}, p holds probabilities:
     * {@code l = −(t·ln p + (1−t)·ln(1−p))} with each log clamped at −100 (as PyTorch does), and
     * {@code grad = (p − t) / max(p(1 − p), 1e-12)}. With {@code fromLogits}, p holds logits z:
     * {@code l = max(z,0) − z·t + ln(1 + e^−|z|)} and {@code grad = σ(z) − t}. Writes the element-wise
     * gradient (not divided by n) into {@code grad} when non-null; returns {@code Σ l}.
     */
    float binaryCrossEntropy(float[] p, float[] t, float[] grad, int n, boolean fromLogits);

    /** The family the plugin registers: scalar only. */
    static KernelFamily<LossKernels> family() {
        return new KernelFamily<>(LossKernels.class, new ScalarLossKernels(), null);
    }
}
