package dev.propel.standard.layer;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerCapability;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.Set;

/**
 * Inverted dropout (PyTorch's {@code nn.Dropout}). In training passes each element is kept with
 * probability {@code 1 − rate} and scaled by {@code 1/(1 − rate)}, so the expected output equals the
 * input: {@code y = x·m} with {@code m_i = 0} (probability {@code rate}) or {@code 1/(1 − rate)}.
 * The mask comes from {@code Kernels.dropoutMask} seeded with {@code ctx.seed()}, so it is
 * reproducible and differs per layer and per step. In inference passes (and when {@code rate} is 0)
 * the layer is the identity: it returns a copy of its input (an output never aliases an input).
 *
 * <p>Attribute {@code rate} (default 0.5, as PyTorch) must lie in [0, 1).
 */
public final class Dropout implements Layer {
    /** The type id: zeroes a random fraction of activations in training, scaling the rest (identity in inference). */
    public static final String TYPE = "dropout";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape shape;
    private final float rate;

    Dropout(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.shape = setup.inputShape();
        this.rate = attributes.getFloat("rate");
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Set<LayerCapability> capabilities() {
        return Set.of(LayerCapability.ELEMENTWISE);
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
    public Tensor forward(Tensor input, LayerContext ctx) {
        LayerInputs.requireBatchOf(describe, shape, input);
        int n = input.size();
        Tensor y = ctx.buffer("output", input.shape());
        if (!ctx.training() || rate == 0f) {
            ctx.kernels().copy(input.data(), 0, y.data(), 0, n);
            if (ctx.training()) ctx.save("input", input); // only for backward's size check
            return y;
        }
        Tensor mask = ctx.buffer("mask", input.shape());
        ctx.kernels().dropoutMask(ctx.seed(), rate, mask.data(), n);
        ctx.kernels().mul(input.data(), mask.data(), y.data(), n);
        ctx.save("mask", mask);
        return y;
    }

    /** {@code dx = dy·m} with the mask {@code m} of the forward pass (the identity when rate is 0). */
    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        if (!ctx.needsInputGradient()) return null;
        if (rate == 0f) {
            Tensor input = ctx.saved("input");
            LayerInputs.requireGradientSize(describe, input.size(), gradOutput, input.shape());
            return gradOutput;
        }
        Tensor mask = ctx.saved("mask");
        LayerInputs.requireGradientSize(describe, mask.size(), gradOutput, mask.shape());
        Tensor dx = ctx.buffer("gradInput", mask.shape());
        ctx.kernels().mul(gradOutput.data(), mask.data(), dx.data(), mask.size());
        return dx;
    }

    @Override
    public String toString() {
        return describe + " rate " + rate;
    }

    /** Makes {@link Dropout} layers. */
    public static final class Factory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .floatAttr("rate", 0.5f, 0.0, true, 1.0, false, "probability of zeroing each element in training")
                .build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "inverted dropout: zeroes elements with probability rate in training, identity in inference";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new Dropout(setup);
        }
    }
}
