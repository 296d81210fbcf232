package dev.propel.standard.layer;

import dev.propel.kernel.BinaryOp;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.RangeTask;
import dev.propel.kernel.ReduceOp;
import dev.propel.kernel.UnaryOp;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.standard.kernel.NormKernels;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import com.google.inject.Inject;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Batch normalization (Ioffe and Szegedy, 2015) per channel, as PyTorch's {@code BatchNorm2d} on a
 * per-sample input {@code [C, H, W]} and {@code BatchNorm1d} on {@code [C]} (or {@code [C, L]}): axis 0
 * of the per-sample shape is the channel; the statistics of channel c run over the batch and every
 * other axis, M = batch · (values per channel) values.
 * <pre>
 *   training:   μ = (1/M) Σ x          σ² = (1/M) Σ (x − μ)²  (biased)      r = 1/√(σ² + ε)
 *               x̂ = (x − μ)·r          y = x̂·γ + β
 *               running_mean ← (1 − m)·running_mean + m·μ
 *               running_var  ← (1 − m)·running_var  + m·σ²·M/(M − 1)     (unbiased, as PyTorch)
 *   inference:  y = (x − running_mean)/√(running_var + ε)·γ + β
 *
 *   ∂L/∂γ = Σ dy·x̂        ∂L/∂β = Σ dy
 *   ∂L/∂x = (γ·r/M)·(M·dy − Σ dy − x̂·Σ dy·x̂)                  (sums per channel over its M values)
 * </pre>
 * The input gradient is the full one of a training pass, where μ and σ² depend on every x of the
 * channel (∂x̂_i/∂x_j = r·(δ_ij − 1/M − x̂_i·x̂_j/M)).
 *
 * <p>Attributes: {@code momentum} m (default 0.1), {@code eps} ε (default 1e-5), {@code affine}
 * (default true; false: y = x̂ and no parameters). Parameters {@code weight} γ (starts at 1) and
 * {@code bias} β (starts at 0), {@code [C]}. State (saved with the model, trained by no optimizer):
 * {@code running_mean} (starts at 0), {@code running_var} (starts at 1) and {@code num_batches_tracked}
 * (a {@code [1]} float counting training passes, kept so a PyTorch {@code state_dict} maps one to one;
 * PyTorch stores it as int64). A training pass needs more than one value per channel (M > 1), as PyTorch.
 *
 * <p>Images ({@code H·W >= NormKernels.MIN_SPATIAL}) go through the plugin's {@link NormKernels}: a few
 * passes per channel (the sums over the batch first, per position, then over the positions), the channels
 * split over the kernel threads. Smaller per-channel extents ({@code [C]}) use the core's primitives over the
 * whole batch: per-channel sums are two reductions (per sample and channel, then over the batch in order),
 * per-channel values are broadcast over {@code (N, C, spatial)}. Results do not depend on the number of threads.
 */
public final class BatchNorm implements Layer {
    /**
     * The type id: batch normalisation per channel (axis 0 of {@code [C, H, W]} or {@code [C]}), with running mean and
     * variance kept as layer state.
     */
    public static final String TYPE = "batch_norm";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape shape;
    private final ChannelAxis axis;
    private final BatchShape perSampleChannel;
    private final Shape channelShape;
    /** The backward pass's two per-channel gradient sums per position, made once (no Shape per step). */
    private final Shape gradientSumsShape;
    private final float momentum;
    private final float eps;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor batchesTracked;
    private final Map<String, Tensor> parameters;
    private final Map<String, Tensor> state;
    private final NormKernels norm;
    /** Whether a channel has enough values per sample for {@link #norm} (else the core's primitives). */
    private final boolean channelKernels;
    private final PassObjects<Pass> passes = new PassObjects<>(Pass::new);

    BatchNorm(LayerSetup setup, NormKernels norm) {
        this.norm = norm;
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.shape = setup.inputShape();
        this.axis = ChannelAxis.of(describe, shape);
        this.channelKernels = axis.spatial() >= NormKernels.MIN_SPATIAL;
        int c = axis.channels();
        this.channelShape = Shape.of(c);
        this.perSampleChannel = new BatchShape(channelShape);
        this.gradientSumsShape = shape.withBatch(2);
        this.momentum = attributes.getFloat("momentum");
        this.eps = attributes.getFloat("eps");
        if (attributes.getBool("affine")) {
            this.weight = Tensor.zeros(c);
            this.bias = Tensor.zeros(c);
            Arrays.fill(weight.data(), 1f);
            Map<String, Tensor> p = new LinkedHashMap<>();
            p.put("weight", weight);
            p.put("bias", bias);
            this.parameters = Collections.unmodifiableMap(p);
        } else {
            this.weight = null;
            this.bias = null;
            this.parameters = Map.of();
        }
        this.runningMean = Tensor.zeros(c);
        this.runningVar = Tensor.zeros(c);
        Arrays.fill(runningVar.data(), 1f);
        this.batchesTracked = Tensor.zeros(1);
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("running_mean", runningMean);
        s.put("running_var", runningVar);
        s.put("num_batches_tracked", batchesTracked);
        this.state = Collections.unmodifiableMap(s);
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
        return shape;
    }

    @Override
    public Shape outputShape() {
        return shape;
    }

    @Override
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    @Override
    public Map<String, Tensor> state() {
        return state;
    }

    @Override
    public Tensor forward(Tensor input, LayerContext ctx) {
        LayerInputs.requireBatchOf(describe, shape, input);
        return ctx.training() ? forwardTraining(input, ctx) : forwardInference(input, ctx);
    }

    private Tensor forwardTraining(Tensor input, LayerContext ctx) {
        Kernels k = ctx.kernels();
        int batch = input.shape().dim(0);
        int c = axis.channels();
        int s = axis.spatial();
        long m = (long) batch * s;
        if (m < 2) {
            throw new ShapeException(describe + ": a training pass needs more than one value per channel to compute"
                    + " a variance but got input " + input.shape() + " (batch " + batch + " × " + s
                    + " per channel); train with a batch of at least 2");
        }
        float[] x = input.data();
        Tensor rstdT = ctx.buffer("rstd", channelShape);
        float[] mean = ctx.buffer("mean", channelShape).data();
        float[] squares = ctx.buffer("squares", channelShape).data();
        float[] rstd = rstdT.data();
        Tensor normalized = ctx.buffer("normalized", input.shape());
        float[] xh = normalized.data();
        Tensor y = ctx.buffer("output", input.shape());
        if (channelKernels) {
            Pass p = passes.acquire();
            try {
                p.set(batch, x, y.data(), xh, ctx.buffer("channelSums", shape).data(), rstd);
                p.mean = mean;
                p.squares = squares;
                split(k, c, input.size(), p.forwardTraining);
            } finally {
                release(p);
            }
        } else {
            float[] rows = ctx.buffer("rows", perSampleChannel.withBatch(batch)).data();
            axis.sum(k, ReduceOp.SUM, x, batch, rows, mean, false);
            k.scale(1f / m, mean, mean, c);                                             // μ
            k.broadcast(BinaryOp.SUB, x, 0, mean, 0, xh, 0, batch, c, s);              // x − μ
            axis.sum(k, ReduceOp.SUM_SQUARES, xh, batch, rows, squares, false);        // Σ (x − μ)²
            k.affine(1f / m, squares, 0, eps, rstd, 0, c);                             // σ² + ε
            k.unary(UnaryOp.RSQRT, rstd, 0, rstd, 0, c);                               // r
            k.broadcast(BinaryOp.MUL, xh, 0, rstd, 0, xh, 0, batch, c, s);             // x̂
            if (weight != null) {
                k.broadcast(BinaryOp.MUL, xh, 0, weight.data(), 0, y.data(), 0, batch, c, s);
                k.broadcast(BinaryOp.ADD, y.data(), 0, bias.data(), 0, y.data(), 0, batch, c, s);
            } else {
                k.copy(xh, 0, y.data(), 0, input.size());
            }
        }
        float[] rm = runningMean.data();
        float[] rv = runningVar.data();
        k.scale(1f - momentum, rm, rm, c);
        k.axpy(momentum, mean, rm, c);
        k.scale(1f - momentum, rv, rv, c);
        k.axpy((float) (momentum / (double) (m - 1)), squares, rv, c);                // + m·Σ(x − μ)²/(M − 1)
        k.affine(1f, batchesTracked.data(), 0, 1f, batchesTracked.data(), 0, 1);
        ctx.save("normalized", normalized);
        ctx.save("rstd", rstdT);
        return y;
    }

    /** {@code y = x·a + b} with per-channel {@code a = γ/√(running_var + ε)}, {@code b = β − running_mean·a}. */
    private Tensor forwardInference(Tensor input, LayerContext ctx) {
        Kernels k = ctx.kernels();
        int batch = input.shape().dim(0);
        int c = axis.channels();
        int s = axis.spatial();
        float[] a = ctx.buffer("scale", channelShape).data();
        float[] b = ctx.buffer("shift", channelShape).data();
        k.affine(1f, runningVar.data(), 0, eps, a, 0, c);
        k.unary(UnaryOp.RSQRT, a, 0, a, 0, c);
        if (weight != null) k.mul(a, weight.data(), a, c);
        k.mul(runningMean.data(), a, b, c);
        if (bias != null) {
            k.sub(bias.data(), b, b, c);
        } else {
            k.scale(-1f, b, b, c);
        }
        Tensor y = ctx.buffer("output", input.shape());
        if (channelKernels) {
            Pass p = passes.acquire();
            try {
                p.set(batch, input.data(), y.data(), null, null, null);
                p.scale = a;
                p.shift = b;
                split(k, c, input.size(), p.inference);
            } finally {
                release(p);
            }
        } else {
            k.broadcast(BinaryOp.MUL, input.data(), 0, a, 0, y.data(), 0, batch, c, s);
            k.broadcast(BinaryOp.ADD, y.data(), 0, b, 0, y.data(), 0, batch, c, s);
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        Tensor normalized = ctx.saved("normalized");
        Shape inShape = normalized.shape();
        LayerInputs.requireGradientSize(describe, normalized.size(), gradOutput, inShape);
        Kernels k = ctx.kernels();
        int batch = inShape.dim(0);
        int c = axis.channels();
        int s = axis.spatial();
        int n = normalized.size();
        float m = (float) batch * s;
        float[] dy = gradOutput.data();
        float[] xh = normalized.data();
        float[] sumDy = ctx.buffer("sumDy", channelShape).data();
        float[] sumDyXh = ctx.buffer("sumDyXh", channelShape).data();
        float[] rstd = ctx.saved("rstd").data();
        Tensor dxT = ctx.needsInputGradient() ? ctx.buffer("gradInput", inShape) : null;
        if (channelKernels) {
            Pass p = passes.acquire();
            try {
                p.set(batch, null, null, xh, ctx.buffer("gradientSums", gradientSumsShape).data(), rstd);
                p.dy = dy;
                p.dx = dxT == null ? null : dxT.data();
                p.sumDy = sumDy;
                p.sumDyXh = sumDyXh;
                split(k, c, n, p.backward);
            } finally {
                release(p);
            }
            accumulateParameterGradients(ctx, c, sumDy, sumDyXh);
            return dxT;
        }
        float[] rows = ctx.buffer("rows", perSampleChannel.withBatch(batch)).data();
        Tensor scratch = ctx.buffer("scratch", inShape);
        float[] u = scratch.data();

        k.binary(BinaryOp.MUL, dy, 0, xh, 0, u, 0, n);
        axis.sum(k, ReduceOp.SUM, u, batch, rows, sumDyXh, false);                     // Σ dy·x̂
        axis.sum(k, ReduceOp.SUM, dy, batch, rows, sumDy, false);                      // Σ dy
        accumulateParameterGradients(ctx, c, sumDy, sumDyXh);
        if (dxT == null) return null;
        float[] coef = ctx.buffer("coef", channelShape).data();
        k.scale(1f / m, rstd, coef, c);                                                // r/M
        if (weight != null) k.mul(coef, weight.data(), coef, c);                       // γ·r/M
        float[] dx = dxT.data();
        k.broadcast(BinaryOp.MUL, xh, 0, sumDyXh, 0, u, 0, batch, c, s);               // x̂·Σ dy·x̂
        k.affine(m, dy, 0, 0f, dx, 0, n);                                              // M·dy
        k.binary(BinaryOp.SUB, dx, 0, u, 0, dx, 0, n);
        k.broadcast(BinaryOp.SUB, dx, 0, sumDy, 0, dx, 0, batch, c, s);                //   − Σ dy
        k.broadcast(BinaryOp.MUL, dx, 0, coef, 0, dx, 0, batch, c, s);                 //   · γ·r/M
        return dxT;
    }

    /** {@code ∂γ += Σ dy·x̂}, {@code ∂β += Σ dy}. */
    private void accumulateParameterGradients(LayerContext ctx, int c, float[] sumDy, float[] sumDyXh) {
        if (weight == null) return;
        Kernels k = ctx.kernels();
        float[] gw = ctx.gradient("weight").data();
        float[] gb = ctx.gradient("bias").data();
        k.add(gw, sumDyXh, gw, c);
        k.add(gb, sumDy, gb, c);
    }

    private static void split(Kernels k, int channels, long work, RangeTask task) {
        PassObjects.split(k, channels, work, task);
    }

    private void release(Pass p) {
        p.clear();
        passes.release(p);
    }

    /** The arrays of one pass through {@link #norm} and the range tasks (over channels) that read them (see {@link PassObjects}). */
    private final class Pass {
        int batch;
        float[] x;
        float[] y;
        float[] xh;
        float[] acc;
        float[] rstd;
        float[] mean;
        float[] squares;
        float[] dy;
        float[] dx;
        float[] sumDy;
        float[] sumDyXh;
        float[] scale;
        float[] shift;

        final RangeTask forwardTraining = (from, to) -> norm.batchNormForward(x, batch, axis.channels(), axis.spatial(), eps,
                gamma(), beta(), acc, mean, squares, rstd, xh, y, from, to);
        final RangeTask backward = (from, to) -> norm.batchNormBackward(dy, xh, batch, axis.channels(), axis.spatial(), rstd,
                gamma(), acc, sumDy, sumDyXh, dx, from, to);
        final RangeTask inference = (from, to) -> norm.channelAffine(x, batch, axis.channels(), axis.spatial(), scale, shift,
                y, from, to);

        void set(int batch, float[] x, float[] y, float[] xh, float[] acc, float[] rstd) {
            this.batch = batch;
            this.x = x;
            this.y = y;
            this.xh = xh;
            this.acc = acc;
            this.rstd = rstd;
        }

        /** Drops the references to the model's arrays between passes. */
        void clear() {
            x = y = xh = acc = rstd = mean = squares = dy = dx = sumDy = sumDyXh = scale = shift = null;
        }
    }

    private float[] gamma() {
        return weight == null ? null : weight.data();
    }

    private float[] beta() {
        return bias == null ? null : bias.data();
    }

    @Override
    public String toString() {
        return describe + " " + shape;
    }

    /** Makes {@link BatchNorm} layers. */
    public static final class Factory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .floatAttr("momentum", 0.1f, 0.0, true, 1.0, true,
                        "weight of the new batch in the running statistics, as PyTorch (running = (1-m)·running + m·batch)")
                .positiveFloat("eps", 1e-5f, "added to the variance before the square root")
                .boolAttr("affine", true, "whether a learnable per-channel gain (weight) and bias follow the normalization")
                .build();

        private final NormKernels norm;

        /** Created by Guice with the plugin's normalisation kernels. */
        @Inject
        public Factory(NormKernels norm) {
            this.norm = norm;
        }

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "batch normalization per channel (axis 0 of [C, H, W] or [C]), running mean/var as layer state, like PyTorch's BatchNorm2d/1d";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new BatchNorm(setup, norm);
        }
    }
}
