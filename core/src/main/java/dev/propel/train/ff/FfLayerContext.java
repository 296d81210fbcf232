package dev.propel.train.ff;

import dev.propel.kernel.Kernels;
import dev.propel.spi.LayerContext;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link LayerContext} of one layer inside a Forward-Forward block. Scratch buffers come from a
 * {@link ScratchPool} shared with the same position of the other blocks; saved tensors and parameter
 * gradients belong to this layer.
 */
final class FfLayerContext implements LayerContext {
    private final Kernels kernels;
    private final boolean training;
    private final long baseSeed;
    private final boolean needsInputGradient;
    private final ScratchPool pool;
    private final String poolPrefix;
    private final Map<String, Tensor> saved = new HashMap<>();
    private final Map<String, Tensor> gradients = new LinkedHashMap<>();
    private long step;

    FfLayerContext(Kernels kernels, boolean training, long baseSeed, boolean needsInputGradient,
                   ScratchPool pool, String poolPrefix, Map<String, Tensor> parameters) {
        this.kernels = kernels;
        this.training = training;
        this.baseSeed = baseSeed;
        this.needsInputGradient = needsInputGradient;
        this.pool = pool;
        this.poolPrefix = poolPrefix;
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

    void beginStep(long step) {
        this.step = step;
    }

    void zeroGradients() {
        for (Tensor g : gradients.values()) kernels.fill(g.data(), g.size(), 0f);
    }

    Map<String, Tensor> gradients() {
        return gradients;
    }

    @Override
    public Kernels kernels() {
        return kernels;
    }

    @Override
    public boolean training() {
        return training;
    }

    @Override
    public long seed() {
        return mix(baseSeed, step);
    }

    @Override
    public Tensor buffer(String key, Shape shape) {
        return pool.get(poolPrefix + key, shape);
    }

    @Override
    public void save(String key, Tensor tensor) {
        saved.put(key, tensor);
    }

    @Override
    public Tensor saved(String key) {
        Tensor t = saved.get(key);
        if (t == null) {
            throw new IllegalStateException("nothing saved under '" + key + "': backward was called without a training forward pass");
        }
        return t;
    }

    @Override
    public boolean needsInputGradient() {
        return needsInputGradient;
    }

    @Override
    public Tensor gradient(String name) {
        Tensor g = gradients.get(name);
        if (g == null) {
            throw new IllegalStateException(training
                    ? "no parameter named '" + name + "' in this layer; parameters: " + gradients.keySet()
                    : "gradients exist only in training passes");
        }
        return g;
    }
}
