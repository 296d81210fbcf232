package dev.propel.fakes.jar;

import dev.propel.model.ModelSpec;
import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.SpiVersion;

/**
 * A plugin that uses a core class outside the plugin API ({@code dev.propel.model.ModelSpec}).
 * Loaded from a plugin directory it cannot see that class.
 */
public final class InternalsPlugin extends AbstractPropelPlugin {
    @Override
    public String name() {
        return "internals";
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
        if (ModelSpec.builder() == null) throw new IllegalStateException("unreachable");
        layer(FlavorLayerFactory.class);
    }
}
