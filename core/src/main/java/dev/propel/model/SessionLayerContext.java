package dev.propel.model;

import dev.propel.kernel.Kernels;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;

/** The layer context a {@link ModelSession} gives each layer: scratch buffers are the layer's own, kept between steps. */
final class SessionLayerContext extends PassLayerContext {
    private final Map<String, Tensor> buffers = new HashMap<>();

    SessionLayerContext(Kernels kernels, boolean training, long seed, int layerIndex, boolean[] needsInputGradient,
                        Map<String, Tensor> parameters) {
        super(kernels, training, seed, layerIndex, needsInputGradient, parameters);
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
}
