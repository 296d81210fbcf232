package dev.propel.spark;

import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerCapability;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.spi.SpiVersion;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.Map;
import java.util.Set;

/**
 * A test plugin with one layer, {@code test_counting_identity}: an element-wise identity (so Forward-Forward
 * accepts it after a dense layer) that keeps layer state, a count of its training passes — the smallest
 * Forward-Forward model with layer state, which Spark's Forward-Forward refuses.
 */
final class CountingLayerPlugin extends AbstractPropelPlugin {
    static final String TYPE = "test_counting_identity";

    @Override
    public String name() {
        return "spark-test";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    protected void configurePlugin() {
        layer(Factory.class);
    }

    /** Makes the layer. */
    public static final class Factory implements LayerFactory {
        @Override public String typeId() { return TYPE; }
        @Override public String description() { return "identity that counts its training passes as layer state (test type)"; }
        @Override public AttributeSchema schema() { return AttributeSchema.empty(); }

        @Override
        public Layer create(LayerSetup setup) {
            Shape shape = setup.inputShape();
            Tensor passes = Tensor.zeros(1);
            return new Layer() {
                @Override public String typeId() { return TYPE; }
                @Override public String name() { return setup.name(); }
                @Override public Attributes attributes() { return setup.attributes(); }
                @Override public Shape inputShape() { return shape; }
                @Override public Shape outputShape() { return shape; }
                @Override public Map<String, Tensor> state() { return Map.of("passes", passes); }
                @Override public Set<LayerCapability> capabilities() { return Set.of(LayerCapability.ELEMENTWISE); }

                @Override
                public Tensor forward(Tensor input, LayerContext ctx) {
                    if (ctx.training()) ctx.kernels().affine(1f, passes.data(), 0, 1f, passes.data(), 0, 1);
                    return input;
                }

                @Override
                public Tensor backward(Tensor gradOutput, LayerContext ctx) {
                    return gradOutput;
                }
            };
        }
    }
}
