package dev.propel.testkit.support;

import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.SpiVersion;

/**
 * The types the testkit needs to put a plugin's type into a whole model for the save → load round
 * trips: the layers {@code testkit_scale}, {@code testkit_bias} and {@code testkit_slice} (which feeds a
 * layer that reads several inputs from the model's one input) and the loss {@code testkit_squared_error};
 * and {@code testkit_center}, a small layer with state that the state contract runs on. Included in
 * {@link dev.propel.testkit.Testkit#propel()}; add it to your own registry with
 * {@code Propel.builder().plugin(new TestkitSupportPlugin())} when you override {@code propel()}.
 * It is not listed in {@code META-INF/services}, so it never turns up anywhere by itself.
 */
public final class TestkitSupportPlugin extends AbstractPropelPlugin {
    /** The plugin's name. */
    public static final String NAME = "testkit";

    @Override
    public String name() {
        return NAME;
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
        layer(ScaleLayer.Factory.class);
        layer(BiasLayer.Factory.class);
        layer(SliceLayer.Factory.class);
        layer(CenterLayer.Factory.class);
        loss(SquaredErrorLoss.Factory.class);
    }
}
