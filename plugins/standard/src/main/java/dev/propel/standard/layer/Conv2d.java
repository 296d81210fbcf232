package dev.propel.standard.layer;

import dev.propel.kernel.BinaryOp;
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

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 2-D convolution on NCHW data (PyTorch's {@code nn.Conv2d}): per sample {@code [in, H, W]} in,
 * {@code [out, H', W']} out, {@code y[o] = bias[o] + Σ weight[o, c, i, j]·x[g·in/groups + c, …]} over the
 * channels {@code c} of the output's group {@code g} and the taps {@code (i, j)}.
 *
 * <p>Parameters, laid out as PyTorch's so weights move between the two unchanged: {@code weight}
 * {@code [out, in/groups, kh, kw]} and {@code bias} {@code [out]} (unless {@code bias} is false).
 * Attributes: {@code out_channels} (required), {@code kernel_size} (required), {@code stride} (1),
 * {@code padding} (0; {@code "same"} keeps H and W with stride 1, one more row/column at the end when the
 * total is odd, as PyTorch; {@code "valid"} is 0), {@code dilation} (1) — each an integer or a pair
 * {@code [height, width]} — {@code groups} (1; in and out must be multiples; {@code groups == in} is a
 * depthwise convolution), {@code bias} (true), {@code init} (PyTorch's default
 * U(±1/√fan_in) with {@code fan_in = in/groups·kh·kw}; see {@link WeightInit}).
 *
 * <p><b>How it computes.</b> In general by columns ({@link ConvKernels#im2col}): a chunk of samples at a
 * time (as many as keep the column matrix near {@link #COLUMN_BUDGET} floats), one core {@code gemm} per
 * group multiplies the weight by the chunk's columns, and the channel-major product is written back to NCHW
 * with the bias. Backward rebuilds the columns (cheaper than keeping them) and uses the same products
 * transposed: ∂W += ∂Y·colᵀ, ∂col = Wᵀ·∂Y, then {@link ConvKernels#col2im}. A depthwise convolution with one
 * filter per channel ({@code groups == in == out}) skips the columns and runs
 * {@link ConvKernels#depthwiseForward} directly. With several kernel threads and several chunks, each thread
 * takes whole chunks, one after the other, on buffers of its own; a pass of a single chunk splits its loops by
 * channels and its products (the core's split) instead. In backward every chunk's share of ∂W and ∂b is a
 * product of its own, added to the gradients in chunk order at the end. The chunking depends on the shapes
 * only, so results do not depend on the number of threads.
 */
public final class Conv2d implements Layer {
    /** The type id: 2-D convolution over NCHW input. */
    public static final String TYPE = "conv2d";
    /** Floats of the column matrix of one chunk (2 MiB): large products for the GEMM, still cache-friendly. */
    static final int COLUMN_BUDGET = 1 << 19;

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape inputShape;
    private final Shape outputShape;
    private final BatchShape outputs;
    private final BatchShape inputs;
    private final ConvGeometry geometry;
    private final ConvKernels conv;
    private final int inChannels;
    private final int outChannels;
    private final int groups;
    private final boolean depthwise;
    /** Rows of the column matrix: in·kh·kw. */
    private final int columnRows;
    private final int outPlane;
    private final Tensor weight;
    private final Tensor bias;
    private final Map<String, Tensor> parameters;
    private final PassObjects<Pass> passes = new PassObjects<>(Pass::new);
    /** Sizes of the column and product buffers of a chunk, {@code [chunk, …]} (only their sizes matter). */
    private final BatchShape columnsShape;
    private final BatchShape productShape;
    /** Sizes of the chunks' shares of the weight and bias gradients, {@code [chunks, …]}. */
    private final BatchShape weightSharesShape;
    private final BatchShape biasSharesShape;

    Conv2d(LayerSetup setup, ConvKernels conv) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.conv = conv;
        this.inputShape = setup.inputShape();
        int[] chw = WindowAttributes.chw(describe, inputShape);
        this.inChannels = chw[0];
        this.outChannels = attributes.getInt("out_channels");
        this.groups = attributes.getInt("groups");
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new AttributeException(describe + ": groups " + groups + " must divide the input channels (" + inChannels
                    + ") and out_channels (" + outChannels + "); e.g. groups 1, or groups " + inChannels
                    + " with out_channels a multiple of " + inChannels + " for a depthwise convolution");
        }
        int[] kernel = WindowAttributes.pair(describe, attributes, "kernel_size");
        int[] stride = WindowAttributes.pair(describe, attributes, "stride");
        int[] dilation = WindowAttributes.pair(describe, attributes, "dilation");
        int[] pad = padding(kernel, stride, dilation);
        this.geometry = new ConvGeometry(inChannels, chw[1], chw[2], kernel[0], kernel[1], stride[0], stride[1],
                pad[0], pad[1], pad[2], pad[3], dilation[0], dilation[1]);
        WindowAttributes.requireFits(describe, geometry.outH(), geometry.outW(), chw, kernel, dilation,
                new int[] {pad[0], pad[1]});
        this.outputShape = Shape.of(outChannels, geometry.outH(), geometry.outW());
        this.outputs = new BatchShape(outputShape);
        this.inputs = new BatchShape(inputShape);
        this.depthwise = groups == inChannels && outChannels == inChannels;
        this.columnRows = inChannels * geometry.taps();
        this.outPlane = geometry.outPlane();
        this.columnsShape = new BatchShape(Shape.of(columnRows * outPlane));
        this.productShape = new BatchShape(Shape.of(outChannels * outPlane));
        this.weightSharesShape = new BatchShape(Shape.of(outChannels * (inChannels / groups) * geometry.taps()));
        this.biasSharesShape = new BatchShape(Shape.of(outChannels));

        int fanIn = inChannels / groups * geometry.taps();
        this.weight = Tensor.zeros(outChannels, inChannels / groups, kernel[0], kernel[1]);
        this.bias = attributes.getBool("bias") ? Tensor.zeros(outChannels) : null;
        WeightInit init = WeightInit.fromId(attributes.getString("init"));
        init.initialize(weight, bias, fanIn, outChannels * geometry.taps(), setup.random(), 0f, 0f);
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", weight);
        if (bias != null) p.put("bias", bias);
        this.parameters = Collections.unmodifiableMap(p);
    }

    /** {top, left, bottom, right} from the {@code padding} attribute. */
    private int[] padding(int[] kernel, int[] stride, int[] dilation) {
        Object v = attributes.asMap().get("padding");
        if ("valid".equals(v)) return new int[4];
        if ("same".equals(v)) {
            if (stride[0] != 1 || stride[1] != 1) {
                throw new AttributeException(describe + ": \"padding\": \"same\" needs stride 1 (as in PyTorch) but stride is ["
                        + stride[0] + ", " + stride[1] + "]; give the padding as numbers, e.g. \"padding\": "
                        + dilation[0] * (kernel[0] - 1) / 2);
            }
            int totalH = dilation[0] * (kernel[0] - 1);
            int totalW = dilation[1] * (kernel[1] - 1);
            return new int[] {totalH / 2, totalW / 2, totalH - totalH / 2, totalW - totalW / 2};
        }
        int[] pad = WindowAttributes.pair(describe, attributes, "padding");
        return new int[] {pad[0], pad[1], pad[0], pad[1]};
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
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    /**
     * Samples per chunk of the column path: the column matrix stays near {@link #COLUMN_BUDGET} floats, and the
     * chunks are as equal as can be and, when there are several, an even number of them, so that threads taking
     * chunks in turn finish together (128 samples in chunks of at most 83: two of 64, not 83 and 45). Depends on
     * the shapes only, never on the thread count.
     */
    int chunk(int batch) {
        int most = Math.clamp(COLUMN_BUDGET / ((long) columnRows * outPlane), 1, batch);
        int chunks = (batch + most - 1) / most;
        if (chunks > 1) chunks = Math.min(chunks + (chunks & 1), batch);
        return (batch + chunks - 1) / chunks;
    }

    @Override
    public Tensor forward(Tensor input, LayerContext ctx) {
        LayerInputs.requireBatchOf(describe, inputShape, input);
        Kernels k = ctx.kernels();
        int batch = input.rows();
        Tensor y = ctx.buffer("output", outputs.withBatch(batch));
        Pass pass = acquire();
        try {
            pass.x = input.data();
            pass.y = y.data();
            pass.bias = bias == null ? null : bias.data();
            pass.batch = batch;
            if (depthwise) {
                split(k, outChannels, (long) batch * outChannels * outPlane * geometry.taps(), pass.depthwiseForward);
            } else {
                plan(ctx, pass, batch);
                runChunks(pass, true);
            }
        } finally {
            release(pass);
        }
        if (ctx.training()) ctx.save("input", input);
        return y;
    }

    /**
     * Cuts the batch into chunks and gives each lane its buffers. With several kernel threads and several chunks,
     * each thread takes whole chunks (its own column and product buffers; the kernels it calls then run whole on
     * it): one hand-over per pass instead of three per chunk, and no product cut into slivers. A single chunk runs
     * on lane 0, splitting its loops and products over the threads instead.
     */
    private void plan(LayerContext ctx, Pass pass, int batch) {
        Kernels k = ctx.kernels();
        pass.kernels = k;
        pass.chunkSize = chunk(batch);
        pass.chunks = (batch + pass.chunkSize - 1) / pass.chunkSize;
        int lanes = k.threads() > 1 && pass.chunks > 1 ? Math.min(k.threads(), pass.chunks) : 1;
        pass.useLanes(lanes);
        for (int l = 0; l < lanes; l++) {
            Pass.Lane lane = pass.lanes[l];
            lane.col = ctx.buffer(lane.columnsKey, columnsShape.withBatch(pass.chunkSize)).data();
            lane.t = ctx.buffer(lane.productKey, productShape.withBatch(pass.chunkSize)).data();
        }
    }

    /** Every chunk of the pass, forward or backward: on lane 0 alone, or on the lanes in parallel, each taking the next chunk. */
    private void runChunks(Pass pass, boolean forward) {
        pass.forward = forward;
        pass.nextChunk.set(0);
        if (pass.laneCount == 1) {
            pass.runLane(0);
        } else {
            pass.kernels.parallelItems(pass.laneCount, pass.runLanes);
        }
    }

    /** One chunk: columns, one product per group, back to NCHW with the bias. */
    private void forwardChunk(Kernels k, Pass.Lane lane) {
        int cols = lane.samples * outPlane;
        split(k, inChannels, (long) columnRows * cols, lane.im2col);
        int outPerGroup = outChannels / groups;
        int rowsPerGroup = columnRows / groups;
        k.gemmBatched(groups, false, false, outPerGroup, cols, rowsPerGroup, 1f,
                weight.data(), 0, outPerGroup * rowsPerGroup, rowsPerGroup,
                lane.col, 0, rowsPerGroup * cols, cols,
                0f, lane.t, 0, outPerGroup * cols, cols);
        split(k, outChannels, (long) outChannels * cols, lane.toSamples);
    }

    /**
     * With {@code G = ∂L/∂Y}: {@code ∂W += G·colᵀ}, {@code ∂b += Σ G} per channel, and when the input gradient is
     * needed {@code ∂X = col2im(Wᵀ·G)}, chunk by chunk as in forward (per group). Each chunk's share of ∂W and ∂b
     * is a product of its own (from 0); the shares are added to the gradients in chunk order at the end, so the
     * sums do not depend on which thread took which chunk.
     */
    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        Tensor x = ctx.saved("input");
        int batch = x.rows();
        LayerInputs.requireGradientSize(describe, batch * outputShape.size(), gradOutput, outputs.withBatch(batch));
        Kernels k = ctx.kernels();
        boolean needsInput = ctx.needsInputGradient();
        Tensor dx = needsInput ? ctx.buffer("gradInput", inputs.withBatch(batch)) : null;
        Pass pass = acquire();
        try {
            pass.x = x.data();
            pass.dy = gradOutput.data();
            pass.dx = dx == null ? null : dx.data();
            pass.biasGradient = bias == null ? null : ctx.gradient("bias").data();
            pass.weightGradient = ctx.gradient("weight").data();
            pass.batch = batch;
            if (depthwise) {
                split(k, outChannels, (long) batch * outChannels * outPlane * geometry.taps(), pass.depthwiseBackward);
            } else {
                plan(ctx, pass, batch);
                pass.weightShares = ctx.buffer("weightShares", weightSharesShape.withBatch(pass.chunks)).data();
                pass.biasShares = bias == null ? null
                        : ctx.buffer("biasShares", biasSharesShape.withBatch(pass.chunks)).data();
                runChunks(pass, false);
                addShares(k, pass.weightShares, pass.chunks, pass.weightGradient);
                if (bias != null) addShares(k, pass.biasShares, pass.chunks, pass.biasGradient);
            }
        } finally {
            release(pass);
        }
        return dx;
    }

    /** {@code gradient += shares[0] + shares[1] + …}, in that order: the chunks' shares, each {@code gradient.length} long. */
    private static void addShares(Kernels k, float[] shares, int chunks, float[] gradient) {
        int n = gradient.length;
        for (int c = 0; c < chunks; c++) k.binary(BinaryOp.ADD, gradient, 0, shares, c * n, gradient, 0, n);
    }

    private void backwardChunk(Kernels k, Pass pass, Pass.Lane lane) {
        int cols = lane.samples * outPlane;
        split(k, inChannels, (long) columnRows * cols, lane.im2col);
        split(k, outChannels, (long) outChannels * cols, lane.toChannels);
        int outPerGroup = outChannels / groups;
        int rowsPerGroup = columnRows / groups;
        k.gemmBatched(groups, false, true, outPerGroup, rowsPerGroup, cols, 1f,
                lane.t, 0, outPerGroup * cols, cols,
                lane.col, 0, rowsPerGroup * cols, cols,
                0f, pass.weightShares, lane.chunk * weight.size(), outPerGroup * rowsPerGroup, rowsPerGroup);
        if (pass.dx == null) return;
        // The columns are no longer needed: their buffer takes ∂col.
        k.gemmBatched(groups, true, false, rowsPerGroup, cols, outPerGroup, 1f,
                weight.data(), 0, outPerGroup * rowsPerGroup, rowsPerGroup,
                lane.t, 0, outPerGroup * cols, cols,
                0f, lane.col, 0, rowsPerGroup * cols, cols);
        split(k, inChannels, (long) columnRows * cols, lane.col2im);
    }

    private static void split(Kernels k, int n, long work, RangeTask task) {
        PassObjects.split(k, n, work, task);
    }

    private Pass acquire() {
        return passes.acquire();
    }

    private void release(Pass p) {
        p.clear();
        passes.release(p);
    }

    /** The arrays and the chunking of one forward or backward pass, and the range tasks that read them (see {@link PassObjects}). */
    private final class Pass {
        float[] x;
        float[] y;
        float[] dy;
        float[] dx;
        float[] bias;
        float[] biasGradient;
        float[] weightGradient;
        /** Each chunk's share of ∂W ({@code [chunks, weight size]}) and of ∂b ({@code [chunks, out]}). */
        float[] weightShares;
        float[] biasShares;
        Kernels kernels;
        int batch;
        int chunkSize;
        int chunks;
        boolean forward;
        /** The next chunk a lane takes; the lanes share it, so a thread that finishes early takes more. */
        final AtomicInteger nextChunk = new AtomicInteger();
        Lane[] lanes = new Lane[0];
        int laneCount;

        final RangeTask runLanes = (from, to) -> {
            for (int l = from; l < to; l++) runLane(l);
        };
        final RangeTask depthwiseForward = (from, to) ->
                conv.depthwiseForward(geometry, x, weight.data(), bias, y, batch, from, to);
        final RangeTask depthwiseBackward = (from, to) -> conv.depthwiseBackward(geometry, x, weight.data(), dy, dx,
                weightGradient, biasGradient, batch, from, to);

        /** Makes sure {@code count} lanes exist (made once per thread count, then reused). */
        void useLanes(int count) {
            if (lanes.length < count) {
                Lane[] grown = Arrays.copyOf(lanes, count);
                for (int l = lanes.length; l < count; l++) grown[l] = new Lane(l);
                lanes = grown;
            }
            laneCount = count;
        }

        /** Takes chunks until none is left, computing each on lane {@code l}'s buffers. */
        void runLane(int l) {
            Lane lane = lanes[l];
            for (int c = nextChunk.getAndIncrement(); c < chunks; c = nextChunk.getAndIncrement()) {
                lane.chunk = c;
                lane.sampleFrom = c * chunkSize;
                lane.samples = Math.min(chunkSize, batch - lane.sampleFrom);
                if (forward) {
                    forwardChunk(kernels, lane);
                } else {
                    backwardChunk(kernels, this, lane);
                }
            }
        }

        /** Drops the references to the model's arrays between passes. */
        void clear() {
            x = y = dy = dx = bias = biasGradient = weightGradient = weightShares = biasShares = null;
            kernels = null;
            for (Lane lane : lanes) lane.col = lane.t = null;
        }

        /** One chunk's buffers and position, and the loops over them (split over the threads when the lane runs alone). */
        final class Lane {
            final String columnsKey;
            final String productKey;
            float[] col;
            float[] t;
            int chunk;
            int sampleFrom;
            int samples;

            final RangeTask im2col = (from, to) -> conv.im2col(geometry, x, sampleFrom, samples, col, from, to);
            final RangeTask col2im = (from, to) -> conv.col2im(geometry, col, sampleFrom, samples, dx, from, to);
            final RangeTask toSamples = (from, to) ->
                    conv.channelsToSamples(t, bias, y, sampleFrom, samples, outChannels, outPlane, from, to);
            final RangeTask toChannels = (from, to) -> conv.samplesToChannels(dy, t, biasShares,
                    chunk * outChannels, sampleFrom, samples, outChannels, outPlane, from, to);

            Lane(int index) {
                this.columnsKey = index == 0 ? "columns" : "columns " + index;
                this.productKey = index == 0 ? "product" : "product " + index;
            }
        }
    }

    @Override
    public String toString() {
        return describe + " " + inputShape + " -> " + outputShape;
    }

    /** Makes {@link Conv2d} layers. */
    public static final class Factory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .intAttr("out_channels", null, 1, "number of output channels")
                .intOrIntListAttr("kernel_size", null, 1, List.of(), "window size: an integer or [height, width]")
                .intOrIntListAttr("stride", 1, 1, List.of(), "step of the window: an integer or [height, width]")
                .intOrIntListAttr("padding", 0, 0, List.of("same", "valid"),
                        "zeros added on each side: an integer, [height, width], \"same\" (stride 1: output as large as the input) or \"valid\" (0)")
                .intOrIntListAttr("dilation", 1, 1, List.of(), "spacing of the kernel taps: an integer or [height, width]")
                .intAttr("groups", 1, 1, "channel groups convolved separately; in and out channels must be multiples (groups = in channels: depthwise)")
                .boolAttr("bias", true, "whether to add a learnable bias per output channel")
                .stringAttr("init", WeightInit.UNIFORM_FAN_IN.id(), WeightInit.idsExcept(WeightInit.CONSTANT),
                        "initial weights: uniform_fan_in is PyTorch's default U(±1/√fan_in), fan_in = in/groups·kh·kw")
                .build();

        private final ConvKernels kernels;

        /** Created by Guice with the plugin's convolution kernels. */
        @Inject
        public Factory(ConvKernels kernels) {
            this.kernels = kernels;
        }

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "2-D convolution on [channels, height, width] samples (weight [out, in/groups, kh, kw], like PyTorch's Conv2d)";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            setup.requireSingleInput(TYPE);
            return new Conv2d(setup, kernels);
        }
    }
}
