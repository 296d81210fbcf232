package dev.propel.standard.layer;

import dev.propel.kernel.Kernels;
import dev.propel.kernel.ReduceOp;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;

/**
 * A per-sample shape {@code [C, rest...]} seen as channels (axis 0) and the {@code spatial} values of each
 * channel (the product of the other axes, 1 for {@code [C]}), so that a batch is {@code [N, C, spatial]}
 * as the kernel primitives address it: a per-channel value broadcasts over {@code (N, C, spatial)}.
 * Shared by {@code batch_norm} and {@code layer_scale}.
 */
record ChannelAxis(int channels, int spatial) {

    /** The channel axis of {@code shape}, or a clear error naming the layer when it has none. */
    static ChannelAxis of(String describe, Shape shape) {
        if (shape.rank() == 0 || shape.size() == 0) {
            throw new ShapeException(describe + ": expected a per-sample input [C] or [C, H, W] (channels first,"
                    + " NCHW) with at least one value but got " + shape);
        }
        return new ChannelAxis(shape.dim(0), shape.size() / shape.dim(0));
    }

    /**
     * {@code out[c] (+)= Σ_n Σ_s x[n][c][s]} over a batch of {@code batch} samples: per (sample, channel)
     * sums into {@code rows} ({@code batch·C} values), then those summed over the batch in order, so the
     * result never depends on the number of threads.
     */
    void sum(Kernels k, ReduceOp op, float[] x, int batch, float[] rows, float[] out, boolean accumulate) {
        k.reduce(op, x, 0, batch * channels, spatial, 1, rows, 0, false);
        k.reduce(ReduceOp.SUM, rows, 0, 1, batch, channels, out, 0, accumulate);
    }
}
