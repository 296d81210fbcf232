package dev.propel.standard.layer;

import dev.propel.kernel.BinaryOp;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.ReduceOp;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

/**
 * The mean of each channel over its spatial positions: {@code [C, H, W]} becomes {@code [C]}, as
 * PyTorch's {@code AdaptiveAvgPool2d(1)} followed by {@code Flatten()}, so a {@code dense} layer can
 * follow directly. {@code y[c] = (1/(H·W)) Σ x[c, h, w]}; backward spreads {@code dy[c]/(H·W)} over the
 * channel's positions. No attributes, no parameters.
 */
public final class GlobalAvgPool implements Layer {
    /** The type id: the mean of each channel over its whole height and width, {@code [C, H, W] → [C]}. */
    public static final String TYPE = "global_avg_pool";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape inputShape;
    private final Shape outputShape;
    private final BatchShape outputs;
    private final BatchShape inputs;
    private final int channels;
    private final int positions;

    GlobalAvgPool(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.inputShape = setup.inputShape();
        if (inputShape.rank() != 3 || inputShape.size() == 0) {
            throw new ShapeException(describe + ": expected a per-sample input [C, H, W] (NCHW) with at least one value"
                    + " but got " + inputShape + " (rank " + inputShape.rank() + "); put global_avg_pool after a conv2d or"
                    + " pooling layer, or reshape the data to [C, H, W]");
        }
        this.channels = inputShape.dim(0);
        this.positions = inputShape.dim(1) * inputShape.dim(2);
        this.outputShape = Shape.of(channels);
        this.outputs = new BatchShape(outputShape);
        this.inputs = new BatchShape(inputShape);
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }

    @Override
    public Shape inputShape() {
        return inputShape;
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    @Override
    public Tensor forward(Tensor input, LayerContext ctx) {
        LayerInputs.requireBatchOf(describe, inputShape, input);
        Kernels k = ctx.kernels();
        int batch = input.shape().dim(0);
        Tensor y = ctx.buffer("output", outputs.withBatch(batch));
        k.reduce(ReduceOp.SUM, input.data(), 0, batch * channels, positions, 1, y.data(), 0, false);
        k.scale(1f / positions, y.data(), y.data(), batch * channels);
        if (ctx.training()) ctx.save("output", y);   // backward reads only its shape
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        Shape last = ctx.saved("output").shape();
        LayerInputs.requireGradientSize(describe, last.size(), gradOutput, last);
        if (!ctx.needsInputGradient()) return null;
        int batch = last.dim(0);
        int rows = batch * channels;
        Kernels k = ctx.kernels();
        Tensor dx = ctx.buffer("gradInput", inputs.withBatch(batch));
        k.fill(dx.data(), dx.size(), 1f / positions);
        k.broadcast(BinaryOp.MUL, dx.data(), 0, gradOutput.data(), 0, dx.data(), 0, 1, rows, positions);
        return dx;
    }

    @Override
    public String toString() {
        return describe + " " + inputShape + " -> " + outputShape;
    }

    /** Makes {@link GlobalAvgPool} layers. */
    public static final class Factory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder().build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "mean of each channel over H and W: [C, H, W] -> [C] (AdaptiveAvgPool2d(1) + flatten)";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new GlobalAvgPool(setup);
        }
    }
}
