package dev.propel.fakes;

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
 * Test layer {@code fake_project}: a linear map without bias, {@code Y = X·W} with {@code W} of shape
 * {@code [in, units]} drawn from N(0, 1/in). It needs a rank-1 per-sample input and refuses others.
 * Backward: {@code ∂L/∂W += Xᵀ·∂L/∂Y}, {@code ∂L/∂X = ∂L/∂Y·Wᵀ}.
 */
public final class ProjectLayerFactory implements LayerFactory {
    public static final String TYPE = "fake_project";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "linear map without bias (test layer)";
    }

    @Override
    public AttributeSchema schema() {
        return AttributeSchema.builder().intAttr("units", null, 1, "output size").build();
    }

    @Override
    public Layer create(LayerSetup setup) {
        Shape in = setup.inputShape();
        if (in.rank() != 1) {
            throw new ShapeException("expected a per-sample input of rank 1, [features], but got " + in
                    + "; flatten the input first");
        }
        int units = setup.attributes().getInt("units");
        Tensor weight = Tensor.randn(setup.random(), (float) (1 / Math.sqrt(in.dim(0))), in.dim(0), units);
        return new ProjectLayer(setup.name(), setup.attributes(), in, Shape.of(units), weight);
    }

    private record ProjectLayer(String name, Attributes attributes, Shape inputShape, Shape outputShape, Tensor weight)
            implements Layer {
        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public Map<String, Tensor> parameters() {
            return Map.of("weight", weight);
        }

        @Override
        public Tensor forward(Tensor input, LayerContext ctx) {
            int n = input.rows();
            int in = inputShape.dim(0);
            int out = outputShape.dim(0);
            Tensor y = ctx.buffer("y", Shape.of(n, out));
            ctx.kernels().gemm(false, false, n, out, in, 1f, input.data(), 0, in, weight.data(), 0, out, 0f, y.data(), 0, out);
            if (ctx.training()) ctx.save("x", input);
            return y;
        }

        @Override
        public Tensor backward(Tensor gradOutput, LayerContext ctx) {
            Tensor x = ctx.saved("x");
            int n = x.rows();
            int in = inputShape.dim(0);
            int out = outputShape.dim(0);
            ctx.kernels().gemm(true, false, in, out, n, 1f, x.data(), 0, in, gradOutput.data(), 0, out,
                    1f, ctx.gradient("weight").data(), 0, out);
            if (!ctx.needsInputGradient()) return null;
            Tensor dx = ctx.buffer("dx", Shape.of(n, in));
            ctx.kernels().gemm(false, true, n, in, out, 1f, gradOutput.data(), 0, out, weight.data(), 0, out,
                    0f, dx.data(), 0, in);
            return dx;
        }
    }
}
