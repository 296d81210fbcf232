package dev.propel.fakes.jar;

import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.SpiVersion;

/** A plugin packed into jars by the plugin-directory tests; provides {@code flavor_identity}. */
public final class FlavorPlugin extends AbstractPropelPlugin {
    public static final String NAME = "flavored";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return "3.1.0";
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    protected void configurePlugin() {
        layer(FlavorLayerFactory.class);
    }
}
