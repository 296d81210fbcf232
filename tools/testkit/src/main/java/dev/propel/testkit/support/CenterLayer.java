package dev.propel.testkit.support;

import dev.propel.kernel.Kernels;
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
 * Layer {@code testkit_center}, the smallest layer with {@linkplain Layer#state() state} (batch norm
 * without the scaling), so the testkit's state contract runs before any real normalisation layer
 * exists. For a rank-1 per-sample shape {@code [n]}: in training {@code y = x − μ} with {@code μ} the
 * batch mean of each feature, and the state {@code running_mean} (shape {@code [n]}, initially zero)
 * becomes {@code momentum·running_mean + (1 − momentum)·μ}; at inference {@code y = x − running_mean},
 * reading the state only. Backward (training): {@code dx = dy − mean_rows(dy)}. No parameters.
 */
public final class CenterLayer implements Layer {
    /** The type id: subtracts a running mean kept as layer state (batch norm without the scaling). */
    public static final String TYPE = "testkit_center";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape shape;
    private final float momentum;
    private final Tensor runningMean;

    CenterLayer(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        setup.requireSingleInput(TYPE);
        this.shape = setup.inputShape();
        if (shape.rank() != 1) {
            throw new ShapeException(describe + ": expected a rank-1 per-sample input shape but got " + shape);
        }
        this.momentum = attributes.getFloat("momentum");
        this.runningMean = Tensor.zeros(shape);
    }

    @Override public String typeId() { return TYPE; }
    @Override public String name() { return name; }
    @Override public Attributes attributes() { return attributes; }
    @Override public Shape inputShape() { return shape; }
    @Override public Shape outputShape() { return shape; }
    @Override public Map<String, Tensor> state() { return Map.of("running_mean", runningMean); }

    @Override
    public Tensor forward(Tensor input, LayerContext ctx) {
        int n = shape.dim(0);
        if (input.shape().rank() != 2 || input.shape().dim(1) != n) {
            throw new ShapeException(describe + ": expected input of shape [batch, " + n + "] but got " + input.shape());
        }
        Kernels k = ctx.kernels();
        int rows = input.rows();
        Tensor y = ctx.buffer("output", input.shape());
        y.copyFrom(input);
        Tensor negativeMean = ctx.buffer("negativeMean", shape);
        if (ctx.training()) {
            k.sumRows(input.data(), rows, n, negativeMean.data(), false);
            k.scale(-1f / rows, negativeMean.data(), negativeMean.data(), n);
            // running_mean = momentum·running_mean + (1 − momentum)·μ, with μ = −negativeMean
            k.scale(momentum, runningMean.data(), runningMean.data(), n);
            k.axpy(momentum - 1f, negativeMean.data(), runningMean.data(), n);
            ctx.save("output", y); // backward needs only its batch size
        } else {
            k.scale(-1f, runningMean.data(), negativeMean.data(), n);
        }
        k.addRowVector(y.data(), rows, n, negativeMean.data());
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        int n = shape.dim(0);
        int rows = ctx.saved("output").rows();
        if (gradOutput.size() != rows * n) {
            throw new ShapeException(describe + ": backward expected an output gradient of shape [" + rows + ", " + n
                    + "] but got " + gradOutput.shape());
        }
        if (!ctx.needsInputGradient()) return null;
        Kernels k = ctx.kernels();
        Tensor negativeMean = ctx.buffer("negativeGradMean", shape);
        k.sumRows(gradOutput.data(), rows, n, negativeMean.data(), false);
        k.scale(-1f / rows, negativeMean.data(), negativeMean.data(), n);
        Tensor dx = ctx.buffer("gradInput", gradOutput.shape());
        dx.copyFrom(gradOutput);
        k.addRowVector(dx.data(), rows, n, negativeMean.data());
        return dx;
    }

    /** Makes {@link CenterLayer}s. */
    public static final class Factory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .floatAttr("momentum", 0.9f, 0.0, true, 1.0, false, "weight of the old running mean in each training update")
                .build();

        @Override public String typeId() { return TYPE; }
        @Override public String description() { return "y = x − mean, with the running mean as layer state (testkit support type)"; }
        @Override public AttributeSchema schema() { return SCHEMA; }

        @Override
        public Layer create(LayerSetup setup) {
            return new CenterLayer(setup);
        }
    }
}
