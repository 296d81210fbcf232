package dev.propel.model.testplugin;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code y = x·W + b} with W {@code [in, units]} ~ N(0, 1/in). Backward:
 * {@code ∂W += xᵀ·dy}, {@code ∂b += Σ_rows dy}, {@code dx = dy·Wᵀ}.
 */
final class AffineLayer implements Layer {
    private final String name;
    private final Attributes attributes;
    private final int in;
    private final int units;
    private final Tensor weight;
    private final Tensor bias;

    private AffineLayer(LayerSetup setup) {
        this.name = setup.name();
        this.attributes = setup.attributes();
        if (setup.inputShape().rank() != 1) {
            throw new ShapeException(setup.describe("affine") + " needs a flat input but got " + setup.inputShape());
        }
        this.in = setup.inputShape().dim(0);
        this.units = attributes.getInt("units");
        this.weight = Tensor.randn(setup.random(), (float) (1 / Math.sqrt(in)), in, units);
        this.bias = Tensor.zeros(units);
    }

    @Override
    public String typeId() {
        return "affine";
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
        return Shape.of(in);
    }

    @Override
    public Shape outputShape() {
        return Shape.of(units);
    }

    @Override
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", weight);
        p.put("bias", bias);
        return p;
    }

    @Override
    public Tensor forward(Tensor input, LayerContext ctx) {
        int rows = input.rows();
        Tensor out = ctx.buffer("out", Shape.of(rows, units));
        ctx.kernels().gemm(false, false, rows, units, in, 1f, input.data(), 0, in, weight.data(), 0, units,
                0f, out.data(), 0, units);
        ctx.kernels().addRowVector(out.data(), rows, units, bias.data());
        if (ctx.training()) ctx.save("input", input);
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        Tensor x = ctx.saved("input");
        int rows = x.rows();
        ctx.kernels().gemm(true, false, in, units, rows, 1f, x.data(), 0, in, gradOutput.data(), 0, units,
                1f, ctx.gradient("weight").data(), 0, units);
        ctx.kernels().sumRows(gradOutput.data(), rows, units, ctx.gradient("bias").data(), true);
        if (!ctx.needsInputGradient()) return null;
        Tensor dx = ctx.buffer("dx", Shape.of(rows, in));
        ctx.kernels().gemm(false, true, rows, in, units, 1f, gradOutput.data(), 0, units, weight.data(), 0, units,
                0f, dx.data(), 0, in);
        return dx;
    }

    /** Registers {@code affine}. */
    static final class Factory implements LayerFactory {
        @Override
        public String typeId() {
            return "affine";
        }

        @Override
        public String description() {
            return "fully connected layer (test plugin)";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.builder().intAttr("units", null, 1, "output size").build();
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new AffineLayer(setup);
        }
    }
}
