package dev.propel.train.ff;

import dev.propel.kernel.Kernels;
import dev.propel.spi.Layer;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the blocks of an {@link FfStack} one at a time: layer contexts for every layer (training or
 * inference), the parameters of each block with their gradient accumulators, and the scratch pool
 * the blocks share. Belongs to one thread.
 */
final class StackPass {
    private final FfStack stack;
    private final Kernels kernels;
    private final boolean training;
    private final ScratchPool pool;
    private final List<List<FfLayerContext>> contexts = new ArrayList<>();
    private final List<List<Parameter>> parameters = new ArrayList<>();

    StackPass(FfStack stack, Kernels kernels, boolean training, long seed, ScratchPool pool) {
        this.stack = stack;
        this.kernels = kernels;
        this.training = training;
        this.pool = pool;
        for (FfStack.Block block : stack.blocks()) {
            List<FfLayerContext> ctxs = new ArrayList<>();
            List<Parameter> params = new ArrayList<>();
            for (int j = 0; j < block.layers().size(); j++) {
                Layer layer = block.layers().get(j);
                int modelIndex = block.firstLayer() + j;
                // The block's first layer gets its input from the (normalised) layer below: nobody needs that gradient.
                FfLayerContext ctx = new FfLayerContext(kernels, training, seed, modelIndex, j > 0,
                        pool, j + "/", layer.parameters());
                ctxs.add(ctx);
                if (training) {
                    layer.parameters().forEach((local, value) ->
                            params.add(new Parameter(layer.name() + "." + local, value, ctx.gradient(local))));
                }
            }
            contexts.add(ctxs);
            parameters.add(Collections.unmodifiableList(params));
        }
    }

    boolean training() {
        return training;
    }

    /**
     * Runs block {@code b} on {@code rows} examples held in {@code input} (row-major, the block's input size per
     * row). The result may be a pooled buffer that the next block overwrites.
     */
    Tensor forward(int b, float[] input, int rows, long step) {
        FfStack.Block block = stack.block(b);
        Tensor x = Tensor.wrap(input, block.layers().getFirst().inputShape().withBatch(rows));
        List<FfLayerContext> ctxs = contexts.get(b);
        for (int j = 0; j < block.layers().size(); j++) {
            FfLayerContext ctx = ctxs.get(j);
            ctx.beginStep(step);
            x = block.layers().get(j).forward(x, ctx);
        }
        return x;
    }

    /** Zeroes block {@code b}'s gradients and back-propagates ∂L/∂output through its layers only. */
    void backward(int b, Tensor gradOutput) {
        backward(b, gradOutput, null);
    }

    /**
     * As {@link #backward(int, Tensor)}; {@code atDenseOutput} (may be null) sees ∂L/∂(dense output) —
     * the gradient with respect to the block's pre-activations — and may add to it before it enters the
     * dense layer.
     */
    void backward(int b, Tensor gradOutput, Consumer<Tensor> atDenseOutput) {
        if (!training) throw new IllegalStateException("backward needs a training pass");
        FfStack.Block block = stack.block(b);
        List<FfLayerContext> ctxs = contexts.get(b);
        for (FfLayerContext ctx : ctxs) ctx.zeroGradients();
        Tensor g = gradOutput;
        for (int j = block.layers().size() - 1; j >= 0 && g != null; j--) {
            if (j == 0 && atDenseOutput != null) atDenseOutput.accept(g);
            g = block.layers().get(j).backward(g, ctxs.get(j));
        }
    }

    /** Block {@code b}'s parameters with their gradient accumulators. */
    List<Parameter> parameters(int b) {
        return parameters.get(b);
    }

    Kernels kernels() {
        return kernels;
    }

    long scratchBytes() {
        return pool.bytes();
    }
}
