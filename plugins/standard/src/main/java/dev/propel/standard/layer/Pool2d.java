package dev.propel.standard.layer;

import dev.propel.kernel.Kernels;
import dev.propel.kernel.RangeTask;
import dev.propel.spi.AttributeException;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.standard.kernel.ConvGeometry;
import dev.propel.standard.kernel.ConvKernels;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import com.google.inject.Inject;

import java.util.List;

/**
 * 2-D pooling on NCHW data, each channel on its own: {@code max_pool2d} (PyTorch's {@code nn.MaxPool2d}; the
 * padding never wins, backward routes each gradient to the first maximum of its window) and
 * {@code avg_pool2d} ({@code nn.AvgPool2d} with {@code count_include_pad}: every window's sum divided by
 * kh·kw, padding counted as zeros). Attributes: {@code kernel_size} (required), {@code stride} (default
 * {@code "kernel_size"}: windows side by side), {@code padding} (0, at most half the kernel) — each an integer
 * or a pair {@code [height, width]}. Per-sample input {@code [C, H, W]}, output {@code [C, H', W']}.
 */
public final class Pool2d implements Layer {
    /** The type id of 2-D max pooling over NCHW input. */
    public static final String MAX = "max_pool2d";
    /** The type id of 2-D average pooling over NCHW input. */
    public static final String AVG = "avg_pool2d";
    /** The default of {@code stride}: the kernel size. */
    static final String KERNEL_SIZE = "kernel_size";

    private final String typeId;
    private final boolean max;
    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape inputShape;
    private final Shape outputShape;
    private final BatchShape outputs;
    private final BatchShape inputs;
    private final ConvGeometry geometry;
    private final ConvKernels conv;
    private final PassObjects<Pass> passes = new PassObjects<>(Pass::new);

    private Pool2d(LayerSetup setup, String typeId, ConvKernels conv) {
        this.typeId = typeId;
        this.max = MAX.equals(typeId);
        this.name = setup.name();
        this.describe = setup.describe(typeId);
        this.attributes = setup.attributes();
        this.conv = conv;
        this.inputShape = setup.inputShape();
        int[] chw = WindowAttributes.chw(describe, inputShape);
        int[] kernel = WindowAttributes.pair(describe, attributes, "kernel_size");
        int[] stride = KERNEL_SIZE.equals(attributes.asMap().get("stride")) ? kernel
                : WindowAttributes.pair(describe, attributes, "stride");
        int[] pad = WindowAttributes.pair(describe, attributes, "padding");
        if (2 * pad[0] > kernel[0] || 2 * pad[1] > kernel[1]) {
            throw new AttributeException(describe + ": attribute 'padding' [" + pad[0] + ", " + pad[1] + "] must be at most half the "
                    + kernel[0] + "x" + kernel[1] + " kernel (as in PyTorch), else a window could hold padding only; "
                    + "use \"padding\": [" + kernel[0] / 2 + ", " + kernel[1] / 2 + "] or less");
        }
        this.geometry = new ConvGeometry(chw[0], chw[1], chw[2], kernel[0], kernel[1], stride[0], stride[1],
                pad[0], pad[1], pad[0], pad[1], 1, 1);
        WindowAttributes.requireFits(describe, geometry.outH(), geometry.outW(), chw, kernel, new int[] {1, 1}, pad);
        this.outputShape = Shape.of(chw[0], geometry.outH(), geometry.outW());
        this.outputs = new BatchShape(outputShape);
        this.inputs = new BatchShape(inputShape);
    }

    @Override
    public String typeId() {
        return typeId;
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
        int batch = input.rows();
        Shape outShape = outputs.withBatch(batch);
        Tensor y = ctx.buffer("output", outShape);
        Pass pass = acquire();
        try {
            pass.x = input.data();
            pass.y = y.data();
            if (max) {
                Tensor argmax = ctx.buffer("argmax", outShape);
                pass.argmax = argmax.data();
                split(ctx.kernels(), batch, y.size(), pass.maxForward);
                if (ctx.training()) ctx.save("argmax", argmax);
            } else {
                split(ctx.kernels(), batch, input.size(), pass.avgForward);
            }
        } finally {
            release(pass);
        }
        if (ctx.training() && !max) ctx.save("input", input); // only for backward's batch size
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        if (!ctx.needsInputGradient()) return null;
        int batch = (max ? ctx.saved("argmax") : ctx.saved("input")).rows();
        LayerInputs.requireGradientSize(describe, batch * outputShape.size(), gradOutput, outputs.withBatch(batch));
        Tensor dx = ctx.buffer("gradInput", inputs.withBatch(batch));
        Pass pass = acquire();
        try {
            pass.dy = gradOutput.data();
            pass.dx = dx.data();
            if (max) {
                pass.argmax = ctx.saved("argmax").data();
                split(ctx.kernels(), batch, dx.size(), pass.maxBackward);
            } else {
                split(ctx.kernels(), batch, dx.size(), pass.avgBackward);
            }
        } finally {
            release(pass);
        }
        return dx;
    }

    /** Runs {@code task} over the planes of {@code batch} samples, on the kernel threads when {@code work} is large. */
    private void split(Kernels k, int batch, long work, RangeTask task) {
        int planes = batch * geometry.channels();
        PassObjects.split(k, planes, work, task);
    }

    private Pass acquire() {
        return passes.acquire();
    }

    private void release(Pass p) {
        p.x = p.y = p.dy = p.dx = p.argmax = null;
        passes.release(p);
    }

    /** The arrays of one pass and the range tasks that read them (see {@link PassObjects}). */
    private final class Pass {
        float[] x;
        float[] y;
        float[] dy;
        float[] dx;
        float[] argmax;

        final RangeTask maxForward = (from, to) -> conv.maxPoolForward(geometry, x, y, argmax, from, to);
        final RangeTask maxBackward = (from, to) -> conv.maxPoolBackward(geometry, dy, argmax, dx, from, to);
        final RangeTask avgForward = (from, to) -> conv.avgPoolForward(geometry, x, y, from, to);
        final RangeTask avgBackward = (from, to) -> conv.avgPoolBackward(geometry, dy, dx, from, to);
    }

    @Override
    public String toString() {
        return describe + " " + inputShape + " -> " + outputShape;
    }

    private static final AttributeSchema SCHEMA = AttributeSchema.builder()
            .intOrIntListAttr("kernel_size", null, 1, List.of(), "window size: an integer or [height, width]")
            .intOrIntListAttr("stride", KERNEL_SIZE, 1, List.of(KERNEL_SIZE),
                    "step of the window: an integer or [height, width]; \"kernel_size\" (the default) places windows side by side")
            .intOrIntListAttr("padding", 0, 0, List.of(), "added on each side (at most half the kernel): an integer or [height, width]")
            .build();

    /** Makes {@code max_pool2d} layers. */
    public static final class MaxFactory implements LayerFactory {
        private final ConvKernels kernels;

        /** Created by Guice with the plugin's convolution kernels. */
        @Inject
        public MaxFactory(ConvKernels kernels) {
            this.kernels = kernels;
        }

        @Override
        public String typeId() {
            return MAX;
        }

        @Override
        public String description() {
            return "2-D max pooling per channel on [channels, height, width] samples (like PyTorch's MaxPool2d)";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            setup.requireSingleInput(MAX);
            return new Pool2d(setup, MAX, kernels);
        }
    }

    /** Makes {@code avg_pool2d} layers. */
    public static final class AvgFactory implements LayerFactory {
        private final ConvKernels kernels;

        /** Created by Guice with the plugin's convolution kernels. */
        @Inject
        public AvgFactory(ConvKernels kernels) {
            this.kernels = kernels;
        }

        @Override
        public String typeId() {
            return AVG;
        }

        @Override
        public String description() {
            return "2-D average pooling per channel on [channels, height, width] samples (like PyTorch's AvgPool2d, padding counted)";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            setup.requireSingleInput(AVG);
            return new Pool2d(setup, AVG, kernels);
        }
    }
}
