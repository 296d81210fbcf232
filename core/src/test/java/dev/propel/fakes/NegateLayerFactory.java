package dev.propel.fakes;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;

/** Test layer {@code fake_negate}: {@code y = -x}, provided by a second plugin. */
public final class NegateLayerFactory implements LayerFactory {
    public static final String TYPE = "fake_negate";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "negates its input (test layer)";
    }

    @Override
    public AttributeSchema schema() {
        return AttributeSchema.empty();
    }

    @Override
    public Layer create(LayerSetup setup) {
        return new ScaleLayerFactory.ScaleLayer(TYPE, setup.name(), setup.attributes(), setup.inputShape(), -1f);
    }
}
