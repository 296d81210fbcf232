package dev.propel.model.testplugin;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

/** {@code y = tanh(x)}; backward {@code dx = dy·(1 − y²)}. */
final class TanhLayer implements Layer {
    private final String name;
    private final Attributes attributes;
    private final Shape shape;

    private TanhLayer(LayerSetup setup) {
        this.name = setup.name();
        this.attributes = setup.attributes();
        this.shape = setup.inputShape();
    }

    @Override
    public String typeId() {
        return "tanh";
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
        Tensor out = ctx.buffer("out", input.shape());
        ctx.kernels().tanh(input.data(), out.data(), input.size());
        if (ctx.training()) ctx.save("out", out);
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        if (!ctx.needsInputGradient()) return null;
        Tensor y = ctx.saved("out");
        Tensor dx = ctx.buffer("dx", gradOutput.shape());
        ctx.kernels().tanhBackward(y.data(), gradOutput.data(), dx.data(), gradOutput.size());
        return dx;
    }

    /** Registers {@code tanh}. */
    static final class Factory implements LayerFactory {
        @Override
        public String typeId() {
            return "tanh";
        }

        @Override
        public String description() {
            return "hyperbolic tangent (test plugin)";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.empty();
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new TanhLayer(setup);
        }
    }
}
