package dev.propel.model;

import dev.propel.kernel.Kernels;
import dev.propel.spi.LayerContext;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@link LayerContext} a {@link ModelSession} gives each layer. */
final class SessionLayerContext implements LayerContext {
    private final Kernels kernels;
    private final boolean training;
    private final long baseSeed;
    private final boolean needsInputGradient;
    private final Map<String, Tensor> buffers = new HashMap<>();
    private final Map<String, Tensor> saved = new HashMap<>();
    private final Map<String, Tensor> gradients = new LinkedHashMap<>();
    private long step;

    SessionLayerContext(Kernels kernels, boolean training, long seed, int layerIndex, boolean needsInputGradient,
                        Map<String, Tensor> parameters) {
        this.kernels = kernels;
        this.training = training;
        this.baseSeed = mix(seed, layerIndex);
        this.needsInputGradient = needsInputGradient;
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
        Tensor t = buffers.get(key);
        if (t != null && t.shape().equals(shape)) return t;
        if (t != null && t.data().length >= shape.size()) {
            // Same array seen with a smaller shape: a short last batch costs no reallocation.
            t = t.view(shape);
        } else {
            t = Tensor.zeros(shape);
        }
        buffers.put(key, t);
        return t;
    }

    /** Bytes of the arrays behind this layer's buffers. */
    long bufferBytes() {
        long b = 0;
        for (Tensor t : buffers.values()) b += 4L * t.data().length;
        return b;
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
                    : "gradients exist only in training sessions");
        }
        return g;
    }
}
