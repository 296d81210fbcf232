package dev.propel.fakes;

import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.SpiVersion;

/** A second well-behaved test plugin, as a third party's would be: one more layer type. */
public final class FakeExtraPlugin extends AbstractPropelPlugin {
    public static final String NAME = "fake-extra";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return "2.1.0";
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    protected void configurePlugin() {
        layer(NegateLayerFactory.class);
    }
}
