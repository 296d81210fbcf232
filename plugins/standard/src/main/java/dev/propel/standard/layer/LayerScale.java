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
import dev.propel.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;

/**
 * A learnable per-channel gain, as ConvNeXt's layer scale (Touvron et al., 2021, "Going deeper with
 * image transformers"): {@code y[c, ...] = γ[c]·x[c, ...]}, with channels on axis 0 of the per-sample
 * shape ({@code [C, H, W]} or {@code [C]}).
 * <pre>
 *   ∂L/∂γ[c] = Σ dy·x        (over the batch and the channel's values)
 *   ∂L/∂x    = γ[c]·dy
 * </pre>
 * Attribute {@code init}: the starting value of every γ (default 1e-6, as ConvNeXt, so a residual block
 * starts close to the identity). Parameter {@code gamma}, {@code [C]}. PyTorch's ConvNeXt stores it as
 * {@code gamma} of shape {@code [C]} too and multiplies it in NHWC; here it broadcasts over NCHW.
 */
public final class LayerScale implements Layer {
    /** The type id: a learned per-channel gain {@code y = gamma[c]·x} (ConvNeXt's layer scale). */
    public static final String TYPE = "layer_scale";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape shape;
    private final ChannelAxis axis;
    private final BatchShape perSampleChannel;
    private final Tensor gamma;
    private final Map<String, Tensor> parameters;

    LayerScale(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.shape = setup.inputShape();
        this.axis = ChannelAxis.of(describe, shape);
        this.perSampleChannel = new BatchShape(Shape.of(axis.channels()));
        this.gamma = Tensor.zeros(axis.channels());
        Arrays.fill(gamma.data(), attributes.getFloat("init"));
        this.parameters = Map.of("gamma", gamma);
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
        int batch = input.shape().dim(0);
        Tensor y = ctx.buffer("output", input.shape());
        ctx.kernels().broadcast(BinaryOp.MUL, input.data(), 0, gamma.data(), 0, y.data(), 0, batch, axis.channels(), axis.spatial());
        if (ctx.training()) ctx.save("input", input);
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        Tensor x = ctx.saved("input");
        LayerInputs.requireGradientSize(describe, x.size(), gradOutput, x.shape());
        Kernels k = ctx.kernels();
        int batch = x.shape().dim(0);
        int c = axis.channels();
        float[] u = ctx.buffer("scratch", x.shape()).data();
        float[] rows = ctx.buffer("rows", perSampleChannel.withBatch(batch)).data();
        k.binary(BinaryOp.MUL, gradOutput.data(), 0, x.data(), 0, u, 0, x.size());
        axis.sum(k, ReduceOp.SUM, u, batch, rows, ctx.gradient("gamma").data(), true);
        if (!ctx.needsInputGradient()) return null;
        Tensor dx = ctx.buffer("gradInput", x.shape());
        k.broadcast(BinaryOp.MUL, gradOutput.data(), 0, gamma.data(), 0, dx.data(), 0, batch, c, axis.spatial());
        return dx;
    }

    @Override
    public String toString() {
        return describe + " " + shape;
    }

    /** Makes {@link LayerScale} layers. */
    public static final class Factory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .floatAttr("init", 1e-6f, null, false, null, false, "starting value of every per-channel gain (ConvNeXt: 1e-6)")
                .build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "learnable per-channel gain y = gamma[c]·x on axis 0 of [C, H, W] or [C] (ConvNeXt's layer scale)";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new LayerScale(setup);
        }
    }
}
