package dev.propel.train.ff;

import dev.propel.kernel.Kernels;
import dev.propel.model.PassLayerContext;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.Map;

/**
 * The layer context of one layer inside a Forward-Forward block. Scratch buffers come from a
 * {@link ScratchPool} shared with the same position of the other blocks (a block finishes before the
 * next starts); saved tensors and parameter gradients belong to this layer.
 */
final class FfLayerContext extends PassLayerContext {
    private final ScratchPool pool;
    private final String poolPrefix;

    FfLayerContext(Kernels kernels, boolean training, long seed, int layerIndex, boolean needsInputGradient,
                   ScratchPool pool, String poolPrefix, Map<String, Tensor> parameters) {
        super(kernels, training, seed, layerIndex, new boolean[] {needsInputGradient}, parameters);
        this.pool = pool;
        this.poolPrefix = poolPrefix;
    }

    @Override
    public Tensor buffer(String key, Shape shape) {
        return pool.get(poolPrefix + key, shape);
    }
}
