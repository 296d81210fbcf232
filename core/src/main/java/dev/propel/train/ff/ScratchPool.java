package dev.propel.train.ff;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * Scratch arrays shared by all blocks of a Forward-Forward stack. A block finishes its forward pass,
 * local loss, backward pass and update before the next block starts, so block l+1 can reuse block
 * l's buffers: the activation memory of training is that of the widest block, not of the whole stack
 * (backprop must keep every layer's activations until the backward pass reaches it).
 *
 * <p>Keys are chosen by {@link FfLayerContext}: {@code "<position in block>/<layer's key>"}.
 */
final class ScratchPool {
    private final Map<String, Tensor> tensors = new HashMap<>();

    /** A tensor of {@code shape} backed by the pooled array for {@code key}, grown when too small. */
    Tensor get(String key, Shape shape) {
        Tensor t = tensors.get(key);
        if (t != null && t.shape().equals(shape)) return t;
        if (t == null || t.data().length < shape.size()) {
            t = Tensor.zeros(shape);
        } else {
            t = t.view(shape);
        }
        tensors.put(key, t);
        return t;
    }

    /** Bytes held by the pooled arrays. */
    long bytes() {
        long b = 0;
        for (Tensor t : tensors.values()) b += 4L * t.data().length;
        return b;
    }
}
