package dev.propel.fakes;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

/**
 * Test layer {@code fake_scale}: {@code y = factor · x} for any input shape, no parameters.
 * Backward: {@code ∂L/∂x = factor · ∂L/∂y}.
 */
public final class ScaleLayerFactory implements LayerFactory {
    public static final String TYPE = "fake_scale";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "multiplies its input by a constant (test layer)";
    }

    @Override
    public AttributeSchema schema() {
        return AttributeSchema.builder()
                .floatAttr("factor", 2f, null, false, null, false, "the constant factor")
                .build();
    }

    @Override
    public Layer create(LayerSetup setup) {
        return new ScaleLayer(TYPE, setup.name(), setup.attributes(), setup.inputShape(), setup.attributes().getFloat("factor"));
    }

    /** Also used, with factor -1, by {@link NegateLayerFactory}. */
    record ScaleLayer(String typeId, String name, Attributes attributes, Shape inputShape, float factor) implements Layer {
        @Override
        public Shape outputShape() {
            return inputShape;
        }

        @Override
        public Tensor forward(Tensor input, LayerContext ctx) {
            Tensor out = ctx.buffer("out", input.shape());
            ctx.kernels().scale(factor, input.data(), out.data(), input.size());
            return out;
        }

        @Override
        public Tensor backward(Tensor gradOutput, LayerContext ctx) {
            if (!ctx.needsInputGradient()) return null;
            Tensor dx = ctx.buffer("dx", gradOutput.shape());
            ctx.kernels().scale(factor, gradOutput.data(), dx.data(), gradOutput.size());
            return dx;
        }
    }
}
