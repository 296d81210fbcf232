package dev.propel.fakes.jar;

import dev.propel.fakes.NegateLayerFactory;
import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.SpiVersion;

/**
 * A plugin that uses a class of the host's class path that is not part of the core API (another
 * plugin's factory). Loaded from a plugin directory it cannot see that class.
 */
public final class BorrowingPlugin extends AbstractPropelPlugin {
    @Override
    public String name() {
        return "borrowing";
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
        layer(NegateLayerFactory.class);
    }
}
