package dev.propel.fakes;

import dev.propel.spi.AbstractPropelPlugin;

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
    protected void configurePlugin() {
        layer(NegateLayerFactory.class);
    }
}
