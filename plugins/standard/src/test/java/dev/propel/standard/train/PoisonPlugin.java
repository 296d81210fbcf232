package dev.propel.standard.train;

import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.spi.SpiVersion;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

/**
 * A test plugin with one layer, {@code poison}: identity forward, NaN input gradient backward. It
 * lets a test see that the trainer names the layer whose gradient went bad while the loss was finite.
 */
public final class PoisonPlugin extends AbstractPropelPlugin {
    @Override
    public String name() {
        return "poison-test";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    protected void configurePlugin() {
        layer(Factory.class);
    }

    public static final class Factory implements LayerFactory {
        @Override
        public String typeId() {
            return "poison";
        }

        @Override
        public String description() {
            return "identity forward, NaN gradient backward (tests only)";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.empty();
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new Layer() {
                public String typeId() {
                    return "poison";
                }

                public String name() {
                    return setup.name();
                }

                public Attributes attributes() {
                    return setup.attributes();
                }

                public Shape inputShape() {
                    return setup.inputShape();
                }

                public Shape outputShape() {
                    return setup.inputShape();
                }

                public Tensor forward(Tensor input, LayerContext ctx) {
                    return input;
                }

                public Tensor backward(Tensor gradOutput, LayerContext ctx) {
                    Tensor g = ctx.buffer("grad", gradOutput.shape());
                    ctx.kernels().fill(g.data(), g.size(), Float.NaN);
                    return g;
                }
            };
        }
    }
}
