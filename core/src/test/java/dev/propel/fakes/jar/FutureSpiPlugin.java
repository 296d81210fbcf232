package dev.propel.fakes.jar;

import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.SpiVersion;

/** A plugin "built against" a newer minor SPI version (2.2), as a plugin compiled against a newer core would be. */
public final class FutureSpiPlugin extends AbstractPropelPlugin {
    @Override
    public String name() {
        return "future";
    }

    @Override
    public String version() {
        return "9.0.0";
    }

    @Override
    public String spiVersion() {
        return "2.3";
    }

    @Override
    protected void configurePlugin() {
        layer(FlavorLayerFactory.class);
    }
}
