package dev.propel.model.testplugin;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.AttributeSpec;
import dev.propel.spi.AttributeType;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code y = factor·x + shift} with a learnable per-feature {@code shift}; backward
 * {@code ∂shift += Σ_rows dy}, {@code dx = factor·dy}. Declares one attribute of every kind
 * (int, float, string, bool and the three list kinds) so tests see all of them saved and loaded.
 */
final class ShiftLayer implements Layer {
    private final String name;
    private final Attributes attributes;
    private final Shape shape;
    private final float factor;
    private final Tensor shift;

    private ShiftLayer(LayerSetup setup) {
        this.name = setup.name();
        this.attributes = setup.attributes();
        this.shape = setup.inputShape();
        this.factor = attributes.getBool("enabled") ? attributes.getFloat("factor") : 1f;
        this.shift = Tensor.randn(setup.random(), 0.1f, shape.size());
    }

    @Override
    public String typeId() {
        return "shift";
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
        return Map.of("shift", shift);
    }

    @Override
    public Tensor forward(Tensor input, LayerContext ctx) {
        Tensor out = ctx.buffer("out", input.shape());
        ctx.kernels().scale(factor, input.data(), out.data(), input.size());
        ctx.kernels().addRowVector(out.data(), input.rows(), shape.size(), shift.data());
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        ctx.kernels().sumRows(gradOutput.data(), gradOutput.rows(), shape.size(), ctx.gradient("shift").data(), true);
        if (!ctx.needsInputGradient()) return null;
        Tensor dx = ctx.buffer("dx", gradOutput.shape());
        ctx.kernels().scale(factor, gradOutput.data(), dx.data(), gradOutput.size());
        return dx;
    }

    /** Registers {@code shift}. */
    static final class Factory implements LayerFactory {
        @Override
        public String typeId() {
            return "shift";
        }

        @Override
        public String description() {
            return "scaled identity plus a learnable shift (test plugin)";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.builder()
                    .floatAttr("factor", 1f, null, false, null, false, "scale of the input")
                    .boolAttr("enabled", true, "whether factor applies")
                    .intAttr("repeat", 1, 1, "an int the layer records")
                    .stringAttr("mode", "plain", List.of("plain", "fancy", "ünïcødé ✓"), "a string choice")
                    .add(new AttributeSpec("axes", AttributeType.INT_LIST, List.of(), "int list", null, false, null, false, null))
                    .add(new AttributeSpec("weights", AttributeType.FLOAT_LIST, List.of(), "float list", null, false, null, false, null))
                    .add(new AttributeSpec("tags", AttributeType.STRING_LIST, List.of(), "string list", null, false, null, false, null))
                    .build();
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new ShiftLayer(setup);
        }
    }
}
