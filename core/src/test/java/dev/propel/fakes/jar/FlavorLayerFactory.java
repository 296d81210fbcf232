package dev.propel.fakes.jar;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

/**
 * Layer {@code flavor_identity}: {@code y = x}, backward {@code dx = dy}. Its description names the
 * {@link Flavor} it sees, which tells a test which copy of that "library" the plugin linked against.
 */
public final class FlavorLayerFactory implements LayerFactory {
    public static final String TYPE = "flavor_identity";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "identity; library flavor " + Flavor.name();
    }

    @Override
    public AttributeSchema schema() {
        return AttributeSchema.empty();
    }

    @Override
    public Layer create(LayerSetup setup) {
        return new Identity(setup.name(), setup.attributes(), setup.inputShape());
    }

    record Identity(String name, Attributes attributes, Shape inputShape) implements Layer {
        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public Shape outputShape() {
            return inputShape;
        }

        @Override
        public Tensor forward(Tensor input, LayerContext ctx) {
            return input;
        }

        @Override
        public Tensor backward(Tensor gradOutput, LayerContext ctx) {
            return ctx.needsInputGradient() ? gradOutput : null;
        }
    }
}
