package dev.propel.fakes.jar;

import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.SpiVersion;

/** A plugin whose {@code name()} throws: the registry can name it only by its class and jar. */
public final class NamelessPlugin extends AbstractPropelPlugin {
    @Override
    public String name() {
        throw new IllegalStateException("name file plugin-name.txt is missing");
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
        layer(FlavorLayerFactory.class);
    }
}
