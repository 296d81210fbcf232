package dev.propel.standard.kernel;

import dev.propel.spi.KernelFamily;

/**
 * The update rules of the standard optimizers: the plugin's own kernel family (optimizer-specific
 * kernels are not part of the core's {@code Kernels}). Each method updates the elements
 * {@code [from, to)} of a parameter {@code w} in place, with its gradient {@code g} and its state, and
 * computes every element on its own, so an optimizer may split a large tensor over the kernel threads
 * ({@code Kernels.parallelRanges}) without changing a bit of the result.
 *
 * <p>{@link ScalarOptimizerKernels} is the reference; {@link VectorOptimizerKernels} performs the same
 * float operations in the same order (no fused multiply-adds, square roots correctly rounded in both),
 * so parameters evolve bitwise identically with either.
 */
public interface OptimizerKernels {

    /** SGD with coupled weight decay: {@code w −= lr·(g + wd·w)}. */
    void sgd(float[] w, float[] g, int from, int to, float lr, float weightDecay);

    /**
     * Heavy-ball momentum as in PyTorch's SGD: {@code g' = g + wd·w; v = μ·v + g';
     * w −= lr·(nesterov ? g' + μ·v : v)}.
     */
    void momentum(float[] w, float[] g, float[] v, int from, int to, float lr, float momentum, float weightDecay,
                  boolean nesterov);

    /** RMSprop (PyTorch form): {@code g' = g + wd·w; s = α·s + (1−α)·g'²; w −= lr·g' / (√s + ε)}. */
    void rmsprop(float[] w, float[] g, float[] s, int from, int to, float lr, float alpha, float eps, float weightDecay);

    /** Adagrad: {@code g' = g + wd·w; s += g'²; w −= lr·g' / (√s + ε)}. */
    void adagrad(float[] w, float[] g, float[] s, int from, int to, float lr, float eps, float weightDecay);

    /**
     * Adam / AdamW step. Coupled (Adam): {@code g' = g + wd·w}; decoupled (AdamW): {@code w ·= 1 − lr·wd},
     * {@code g' = g}. Then {@code m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²;
     * w −= (lr / bc1) · m / (√v / √bc2 + ε)} with bias corrections {@code bc1 = 1 − β1^t},
     * {@code bc2 = 1 − β2^t} given by the caller.
     */
    void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, float lr, float beta1, float beta2,
              float eps, float weightDecay, boolean decoupled, float bc1, float bc2);

    /**
     * The family the plugin registers. The vector implementation is made by a lambda, so its class (which
     * links against {@code jdk.incubator.vector}) is loaded only when the core runs vector kernels.
     */
    static KernelFamily<OptimizerKernels> family() {
        return new KernelFamily<>(OptimizerKernels.class, new ScalarOptimizerKernels(), () -> new VectorOptimizerKernels());
    }
}
