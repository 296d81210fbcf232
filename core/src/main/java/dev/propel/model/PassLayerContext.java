package dev.propel.model;

import dev.propel.kernel.Kernels;
import dev.propel.spi.LayerContext;
import dev.propel.tensor.Tensor;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every pass gives a layer through its {@link LayerContext} — the kernels, a seed per step, the tensors
 * saved for the backward pass, the parameter gradients — leaving to subclasses where the scratch
 * {@link #buffer buffers} live: a {@link ModelSession} keeps them per layer, a Forward-Forward pass shares
 * them between blocks.
 */
public abstract class PassLayerContext implements LayerContext {
    private final Kernels kernels;
    private final boolean training;
    private final long baseSeed;
    private final boolean[] needsInputGradient;
    private final boolean anyInputGradient;
    private final Map<String, Tensor> saved = new HashMap<>();
    private final Map<String, Tensor> gradients = new LinkedHashMap<>();
    private long step;

    /**
     * A context for layer {@code layerIndex} of a pass; {@code needsInputGradient} says per layer whether backward
     * must compute the input gradient.
     * @param seed               the pass's seed; the layer's own is derived from it and {@code layerIndex}
     * @param needsInputGradient per input, whether backward must compute its gradient
     * @param parameters         the layer's parameters; in training, a zeroed gradient is made for each
     */
    protected PassLayerContext(Kernels kernels, boolean training, long seed, int layerIndex, boolean[] needsInputGradient,
                               Map<String, Tensor> parameters) {
        this.kernels = kernels;
        this.training = training;
        this.baseSeed = mix(seed, layerIndex);
        this.needsInputGradient = needsInputGradient.clone();
        boolean any = false;
        for (boolean b : needsInputGradient) any |= b;
        this.anyInputGradient = any;
        if (training) {
            parameters.forEach((name, p) -> gradients.put(name, Tensor.zeros(p.shape())));
        }
    }

    /** SplitMix64 finaliser: decorrelates seeds that differ in one input. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Sets the step the next forward pass belongs to (it seeds per-step randomness such as dropout masks). */
    public final void beginStep(long step) {
        this.step = step;
    }

    /** Sets every parameter gradient to zero. */
    public final void zeroGradients() {
        for (Tensor g : gradients.values()) kernels.fill(g.data(), g.size(), 0f);
    }

    @Override
    public final Kernels kernels() {
        return kernels;
    }

    @Override
    public final boolean training() {
        return training;
    }

    @Override
    public final long seed() {
        return mix(baseSeed, step);
    }

    @Override
    public final void save(String key, Tensor tensor) {
        saved.put(key, tensor);
    }

    @Override
    public final Tensor saved(String key) {
        Tensor t = saved.get(key);
        if (t == null) {
            throw new IllegalStateException("nothing saved under '" + key + "': backward was called without a training forward pass");
        }
        return t;
    }

    @Override
    public final boolean needsInputGradient() {
        return anyInputGradient;
    }

    @Override
    public final boolean needsInputGradient(int input) {
        return needsInputGradient[input];
    }

    @Override
    public final Tensor gradient(String name) {
        Tensor g = gradients.get(name);
        if (g == null) {
            throw new IllegalStateException(training
                    ? "no parameter named '" + name + "' in this layer; parameters: " + gradients.keySet()
                    : "gradients exist only in training passes");
        }
        return g;
    }
}
