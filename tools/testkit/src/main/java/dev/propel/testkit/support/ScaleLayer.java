package dev.propel.testkit.support;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.Map;

/**
 * Layer {@code testkit_scale}: {@code y = s·x} for any per-sample shape, with one learnable scalar
 * {@code s} (parameter {@code "scale"}, shape [1], initialised uniformly in [0.5, 1.5)). Backward:
 * {@code dx = s·dy}, {@code ds += Σ x·dy}.
 */
public final class ScaleLayer implements Layer {
    /** The type id: {@code y = s·x} with one learned scalar {@code s}. */
    public static final String TYPE = "testkit_scale";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape shape;
    private final Tensor scale;

    ScaleLayer(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.shape = setup.inputShape();
        this.scale = Tensor.of(new float[] {(float) setup.random().nextDouble(0.5, 1.5)}, 1);
    }

    @Override public String typeId() { return TYPE; }
    @Override public String name() { return name; }
    @Override public Attributes attributes() { return attributes; }
    @Override public Shape inputShape() { return shape; }
    @Override public Shape outputShape() { return shape; }
    @Override public Map<String, Tensor> parameters() { return Map.of("scale", scale); }

    @Override
    public Tensor forward(Tensor input, LayerContext ctx) {
        if (input.shape().rank() != shape.rank() + 1 || !input.shape().withoutBatch().equals(shape)) {
            throw new ShapeException(describe + ": expected input of shape [batch, " + shape.toString().substring(1)
                    + " but got " + input.shape());
        }
        Tensor y = ctx.buffer("output", input.shape());
        ctx.kernels().scale(scale.data()[0], input.data(), y.data(), input.size());
        if (ctx.training()) ctx.save("input", input);
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        Tensor x = ctx.saved("input");
        if (gradOutput.size() != x.size()) {
            throw new ShapeException(describe + ": backward expected an output gradient of shape " + x.shape()
                    + " but got " + gradOutput.shape());
        }
        ctx.gradient("scale").data()[0] += ctx.kernels().dot(x.data(), gradOutput.data(), x.size());
        if (!ctx.needsInputGradient()) return null;
        Tensor dx = ctx.buffer("gradInput", x.shape());
        ctx.kernels().scale(scale.data()[0], gradOutput.data(), dx.data(), x.size());
        return dx;
    }

    /** Makes {@link ScaleLayer}s. */
    public static final class Factory implements LayerFactory {
        @Override public String typeId() { return TYPE; }
        @Override public String description() { return "y = scale·x with one learnable scalar (testkit support type)"; }
        @Override public AttributeSchema schema() { return AttributeSchema.empty(); }

        @Override
        public Layer create(LayerSetup setup) {
            return new ScaleLayer(setup);
        }
    }
}
