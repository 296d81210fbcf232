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
 * Layer {@code testkit_bias}: {@code y = x + b} for a rank-1 per-sample shape {@code [n]}, with a
 * learnable bias {@code b} (parameter {@code "bias"}, shape {@code [n]}, initialised N(0, 0.1²)).
 * Backward: {@code dx = dy}, {@code db += Σ_rows dy}.
 */
public final class BiasLayer implements Layer {
    /** The type id: {@code y = x + b} with a learned bias {@code b}. */
    public static final String TYPE = "testkit_bias";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape shape;
    private final Tensor bias;

    BiasLayer(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.shape = setup.inputShape();
        if (shape.rank() != 1) {
            throw new ShapeException(describe + ": expected a rank-1 per-sample input shape but got " + shape);
        }
        this.bias = Tensor.randn(setup.random(), 0.1f, shape.dim(0));
    }

    @Override public String typeId() { return TYPE; }
    @Override public String name() { return name; }
    @Override public Attributes attributes() { return attributes; }
    @Override public Shape inputShape() { return shape; }
    @Override public Shape outputShape() { return shape; }
    @Override public Map<String, Tensor> parameters() { return Map.of("bias", bias); }

    @Override
    public Tensor forward(Tensor input, LayerContext ctx) {
        if (input.shape().rank() != 2 || input.shape().dim(1) != shape.dim(0)) {
            throw new ShapeException(describe + ": expected input of shape [batch, " + shape.dim(0) + "] but got "
                    + input.shape());
        }
        Tensor y = ctx.buffer("output", input.shape());
        y.copyFrom(input);
        ctx.kernels().addRowVector(y.data(), input.rows(), shape.dim(0), bias.data());
        if (ctx.training()) ctx.save("output", y); // backward needs only its batch size
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        int rows = ctx.saved("output").rows();
        if (gradOutput.size() != rows * shape.dim(0)) {
            throw new ShapeException(describe + ": backward expected an output gradient of shape [" + rows + ", "
                    + shape.dim(0) + "] but got " + gradOutput.shape());
        }
        ctx.kernels().sumRows(gradOutput.data(), rows, shape.dim(0), ctx.gradient("bias").data(), true);
        return ctx.needsInputGradient() ? gradOutput : null;
    }

    /** Makes {@link BiasLayer}s. */
    public static final class Factory implements LayerFactory {
        @Override public String typeId() { return TYPE; }
        @Override public String description() { return "y = x + bias with a learnable bias vector (testkit support type)"; }
        @Override public AttributeSchema schema() { return AttributeSchema.empty(); }

        @Override
        public Layer create(LayerSetup setup) {
            return new BiasLayer(setup);
        }
    }
}
