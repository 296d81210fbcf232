package dev.propel.standard.layer;

import dev.propel.kernel.BinaryOp;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.RangeTask;
import dev.propel.kernel.ReduceOp;
import dev.propel.kernel.UnaryOp;
import dev.propel.spi.AttributeException;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.AttributeSpec;
import dev.propel.spi.AttributeType;
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
import java.util.List;
import java.util.Map;

/**
 * Layer normalization (Ba, Kiros and Hinton, 2016) over a chosen run of per-sample axes. With the
 * default {@code "axes": [-1]} it is PyTorch's {@code nn.LayerNorm(normalized_shape = last dim)}; ConvNeXt
 * on NCHW data normalizes the channels of every pixel with {@code "axes": [0]} on {@code [C, H, W]} (what
 * PyTorch writes as a permute to NHWC, {@code LayerNorm(C)}, and a permute back).
 *
 * <p>The axes must be consecutive (e.g. {@code [0]}, {@code [1, 2]}, {@code [-2, -1]}), so the input is
 * {@code [outer, D, inner]} with D the number of values normalized together; every (outer, inner) position
 * is normalized with its own mean and biased variance over its D values:
 * <pre>
 *   μ = (1/D) Σ x          σ² = (1/D) Σ (x − μ)²          r = 1/√(σ² + ε)
 *   x̂ = (x − μ)·r          y = x̂·g + b                      (g, b: shaped as the normalized axes)
 *
 *   ∂L/∂g = Σ dy·x̂         ∂L/∂b = Σ dy                      (over every other position)
 *   ∂L/∂x = r·(g·dy − mean(g·dy) − x̂·mean(g·dy·x̂))          (means over the D values)
 * </pre>
 * Attributes: {@code axes} (default [-1]; negative counts from the end), {@code eps} (default 1e-5 as
 * PyTorch; ConvNeXt uses 1e-6), {@code elementwise_affine} (default true; false: y = x̂ and no
 * parameters). Parameters {@code weight} (g, starts at 1) and {@code bias} (b, starts at 0).
 *
 * <p>With many positions per block ({@code inner >= NormKernels.MIN_SPATIAL}: the channels of an image's pixels)
 * the statistics, x̂, y and ∂L/∂x come from the plugin's {@link NormKernels}, a few passes per block, the blocks
 * split over the kernel threads. Otherwise, and for ∂L/∂g and ∂L/∂b, the layer uses the core's primitives:
 * statistics are reductions along the middle axis of {@code [outer, D, inner]}, g and b broadcast along it;
 * statistics are applied with one broadcast per outer block when {@code inner > 1} (the statistics of a block
 * are a row over its inner positions).
 */
public final class LayerNorm implements Layer {
    /** The type id: normalisation over each sample's features, with a learned scale and shift. */
    public static final String TYPE = "layer_norm";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape shape;
    private final int outer;
    private final int features;
    private final int inner;
    private final BatchShape statsShape;
    private final BatchShape rowsShape;
    private final float eps;
    private final Tensor weight;
    private final Tensor bias;
    private final Map<String, Tensor> parameters;
    private final NormKernels norm;
    /** Whether a block has enough positions for {@link #norm} (else the core's primitives). */
    private final boolean blockKernels;
    private final PassObjects<Pass> passes = new PassObjects<>(Pass::new);

    LayerNorm(LayerSetup setup, NormKernels norm) {
        this.norm = norm;
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.shape = setup.inputShape();
        int[] range = axisRange(describe, attributes.getIntList("axes"), shape);
        int first = range[0];
        int last = range[1];
        int o = 1;
        int d = 1;
        int in = 1;
        for (int i = 0; i < shape.rank(); i++) {
            if (i < first) o *= shape.dim(i);
            else if (i <= last) d *= shape.dim(i);
            else in *= shape.dim(i);
        }
        if (d == 0 || shape.size() == 0) {
            throw new ShapeException(describe + ": the normalized axes " + attributes.getIntList("axes") + " of the input "
                    + shape + " hold no values; normalize axes of size >= 1");
        }
        this.outer = o;
        this.features = d;
        this.inner = in;
        this.blockKernels = in >= NormKernels.MIN_SPATIAL;
        this.statsShape = new BatchShape(Shape.of(outer * inner));
        this.rowsShape = new BatchShape(Shape.of(outer * features));
        this.eps = attributes.getFloat("eps");
        if (attributes.getBool("elementwise_affine")) {
            Shape paramShape = Shape.of(Arrays.copyOfRange(shape.dims(), first, last + 1));
            this.weight = Tensor.zeros(paramShape);
            this.bias = Tensor.zeros(paramShape);
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
    }

    /** The first and last normalized axis, or a clear error when the axes are out of range, repeated or not consecutive. */
    static int[] axisRange(String describe, List<Integer> axes, Shape shape) {
        int rank = shape.rank();
        if (axes.isEmpty()) {
            throw new AttributeException(describe + ": attribute 'axes' is empty; give the per-sample axes to normalize,"
                    + " e.g. [-1] (the last) or [0] (the channels of [C, H, W])");
        }
        int[] resolved = new int[axes.size()];
        for (int i = 0; i < resolved.length; i++) {
            int a = axes.get(i);
            int r = a < 0 ? a + rank : a;
            if (r < 0 || r >= rank) {
                throw new ShapeException(describe + ": axis " + a + " in 'axes' " + axes + " is out of range for the per-sample"
                        + " input " + shape + " (rank " + rank + "); use 0.." + (rank - 1) + " or -" + rank + "..-1"
                        + " (the batch axis is not counted)");
            }
            resolved[i] = r;
        }
        Arrays.sort(resolved);
        for (int i = 1; i < resolved.length; i++) {
            if (resolved[i] == resolved[i - 1]) {
                throw new AttributeException(describe + ": attribute 'axes' " + axes + " names axis " + resolved[i]
                        + " twice; list each axis once");
            }
            if (resolved[i] != resolved[i - 1] + 1) {
                throw new AttributeException(describe + ": attribute 'axes' " + axes + " on input " + shape + " is not a run"
                        + " of consecutive axes; normalize consecutive axes such as [0], [1, 2] or [-2, -1]");
            }
        }
        return new int[] {resolved[0], resolved[resolved.length - 1]};
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
    public Tensor forward(Tensor input, LayerContext ctx) {
        LayerInputs.requireBatchOf(describe, shape, input);
        Kernels k = ctx.kernels();
        int batch = input.shape().dim(0);
        int blocks = batch * outer;
        int n = input.size();
        float[] x = input.data();
        Tensor normalized = ctx.buffer("normalized", input.shape());
        Tensor rstd = ctx.buffer("rstd", statsShape.withBatch(batch));
        float[] mu = ctx.buffer("mean", statsShape.withBatch(batch)).data();
        float[] xh = normalized.data();
        float[] r = rstd.data();
        Tensor y = ctx.buffer("output", input.shape());
        if (blockKernels) {
            Pass p = passes.acquire();
            try {
                p.set(x, xh, r, mu, null, null, y.data());
                split(k, blocks, n, p.forward);
            } finally {
                release(p);
            }
            if (ctx.training()) {
                ctx.save("normalized", normalized);
                ctx.save("rstd", rstd);
            }
            return y;
        }
        int stats = blocks * inner;
        k.reduce(ReduceOp.SUM, x, 0, blocks, features, inner, mu, 0, false);
        k.scale(1f / features, mu, mu, stats);                                    // μ
        applyStats(k, BinaryOp.SUB, x, mu, xh, blocks);                           // x − μ
        k.reduce(ReduceOp.SUM_SQUARES, xh, 0, blocks, features, inner, r, 0, false);
        k.affine(1f / features, r, 0, eps, r, 0, stats);                          // σ² + ε
        k.unary(UnaryOp.RSQRT, r, 0, r, 0, stats);                                // r
        applyStats(k, BinaryOp.MUL, xh, r, xh, blocks);                           // x̂
        if (weight != null) {
            k.broadcast(BinaryOp.MUL, xh, 0, weight.data(), 0, y.data(), 0, blocks, features, inner);
            k.broadcast(BinaryOp.ADD, y.data(), 0, bias.data(), 0, y.data(), 0, blocks, features, inner);
        } else {
            k.copy(xh, 0, y.data(), 0, n);
        }
        if (ctx.training()) {
            ctx.save("normalized", normalized);
            ctx.save("rstd", rstd);
        }
        return y;
    }

    /**
     * {@code out[o][d][i] = op(a[o][d][i], stats[o][i])}: a column broadcast when each position has one
     * statistic per block (inner = 1), else one row broadcast per block.
     */
    private void applyStats(Kernels k, BinaryOp op, float[] a, float[] stats, float[] out, int blocks) {
        if (inner == 1) {
            k.broadcast(op, a, 0, stats, 0, out, 0, 1, blocks, features);
            return;
        }
        int block = features * inner;
        for (int o = 0; o < blocks; o++) {
            k.broadcast(op, a, o * block, stats, o * inner, out, o * block, features, inner, 1);
        }
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        Tensor normalized = ctx.saved("normalized");
        Shape inShape = normalized.shape();
        LayerInputs.requireGradientSize(describe, normalized.size(), gradOutput, inShape);
        Kernels k = ctx.kernels();
        int batch = inShape.dim(0);
        int blocks = batch * outer;
        int n = normalized.size();
        int stats = blocks * inner;
        float[] dy = gradOutput.data();
        float[] xh = normalized.data();
        float[] u = ctx.buffer("scratch", inShape).data();
        if (weight != null) {
            float[] rows = ctx.buffer("rows", rowsShape.withBatch(batch)).data();
            k.binary(BinaryOp.MUL, dy, 0, xh, 0, u, 0, n);                                          // dy·x̂
            k.reduce(ReduceOp.SUM, u, 0, blocks * features, inner, 1, rows, 0, false);
            k.reduce(ReduceOp.SUM, rows, 0, 1, blocks, features, ctx.gradient("weight").data(), 0, true);
            k.reduce(ReduceOp.SUM, dy, 0, blocks * features, inner, 1, rows, 0, false);
            k.reduce(ReduceOp.SUM, rows, 0, 1, blocks, features, ctx.gradient("bias").data(), 0, true);
        }
        if (!ctx.needsInputGradient()) return null;
        float[] r = ctx.saved("rstd").data();
        Tensor dxT = ctx.buffer("gradInput", inShape);
        float[] dx = dxT.data();
        float[] meanGdy = ctx.buffer("meanGdy", statsShape.withBatch(batch)).data();
        float[] meanGdyXh = ctx.buffer("meanGdyXh", statsShape.withBatch(batch)).data();
        if (blockKernels) {
            Pass p = passes.acquire();
            try {
                p.set(dy, xh, r, meanGdy, meanGdyXh, dx, null);
                split(k, blocks, n, p.backward);
            } finally {
                release(p);
            }
            return dxT;
        }
        if (weight != null) {
            k.broadcast(BinaryOp.MUL, dy, 0, weight.data(), 0, dx, 0, blocks, features, inner);    // g·dy
        } else {
            k.copy(dy, 0, dx, 0, n);
        }
        k.reduce(ReduceOp.SUM, dx, 0, blocks, features, inner, meanGdy, 0, false);
        k.scale(1f / features, meanGdy, meanGdy, stats);                                         // mean(g·dy)
        k.binary(BinaryOp.MUL, dx, 0, xh, 0, u, 0, n);
        k.reduce(ReduceOp.SUM, u, 0, blocks, features, inner, meanGdyXh, 0, false);
        k.scale(1f / features, meanGdyXh, meanGdyXh, stats);                                     // mean(g·dy·x̂)
        applyStats(k, BinaryOp.SUB, dx, meanGdy, dx, blocks);                                    // g·dy − mean(g·dy)
        applyStats(k, BinaryOp.MUL, xh, meanGdyXh, u, blocks);
        k.binary(BinaryOp.SUB, dx, 0, u, 0, dx, 0, n);                                           //   − x̂·mean(g·dy·x̂)
        applyStats(k, BinaryOp.MUL, dx, r, dx, blocks);                                          //   · r
        return dxT;
    }

    private static void split(Kernels k, int blocks, long work, RangeTask task) {
        PassObjects.split(k, blocks, work, task);
    }

    private void release(Pass p) {
        p.clear();
        passes.release(p);
    }

    private float[] gamma() {
        return weight == null ? null : weight.data();
    }

    /**
     * The arrays of one pass through {@link #norm} and the range tasks (over blocks) that read them (see
     * {@link PassObjects}): forward reads {@code in} and writes {@code xh}, {@code rstd}, {@code a} (the means),
     * {@code out}; backward reads {@code in} (∂y), {@code xh}, {@code rstd} and writes {@code a}, {@code b}, {@code out} (∂x).
     */
    private final class Pass {
        float[] in;
        float[] xh;
        float[] rstd;
        float[] a;
        float[] b;
        float[] dx;
        float[] out;

        final RangeTask forward = (from, to) -> norm.layerNormForward(in, features, inner, eps, gamma(),
                bias == null ? null : bias.data(), a, rstd, xh, out, from, to);
        final RangeTask backward = (from, to) -> norm.layerNormBackward(in, xh, features, inner, gamma(), rstd, a, b,
                dx, from, to);

        void set(float[] in, float[] xh, float[] rstd, float[] a, float[] b, float[] dx, float[] out) {
            this.in = in;
            this.xh = xh;
            this.rstd = rstd;
            this.a = a;
            this.b = b;
            this.dx = dx;
            this.out = out;
        }

        /** Drops the references to the model's arrays between passes. */
        void clear() {
            in = xh = rstd = a = b = dx = out = null;
        }
    }

    @Override
    public String toString() {
        return describe + " " + shape;
    }

    /** Makes {@link LayerNorm} layers. */
    public static final class Factory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .add(new AttributeSpec("axes", AttributeType.INT_LIST, List.of(-1),
                        "consecutive per-sample axes to normalize together: [-1] the last (PyTorch's LayerNorm), [0] the channels of [C, H, W]",
                        null, true, null, false, null))
                .positiveFloat("eps", 1e-5f, "added to the variance before the square root (ConvNeXt uses 1e-6)")
                .boolAttr("elementwise_affine", true, "whether a learnable gain (weight) and bias follow the normalization")
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
            return "layer normalization over chosen consecutive axes (default the last), y = (x - mean)/sqrt(var + eps)·weight + bias";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new LayerNorm(setup, norm);
        }
    }
}
