package com.example.propel;

import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.SpiVersion;

/**
 * An example third-party plugin: the layers {@code swish} (with a learnable β) and {@code example_layer_norm},
 * the losses {@code huber} and {@code focal}, and the optimizers {@code qhm} and {@code lion}, all
 * written with Propel's kernels only. Propel finds it through
 * {@code META-INF/services/dev.propel.spi.PropelPlugin}, on the class path or in a plugin directory.
 */
public final class ExamplePlugin extends AbstractPropelPlugin {
    public static final String NAME = "example";
    public static final String VERSION = "1.0.0";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return VERSION;
    }

    /**
     * The SPI version this plugin was compiled against, e.g. "2.0". Every plugin must implement it,
     * always as {@code return SpiVersion.CURRENT;}: that is a constant, so javac copies its value into
     * this class, and a core that is too old (or of another major version) refuses the plugin with
     * an error naming both versions instead of failing somewhere later.
     */
    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    protected void configurePlugin() {
        layer(Swish.Factory.class);
        layer(LayerNorm.Factory.class);
        loss(HuberLoss.Factory.class);
        loss(FocalLoss.Factory.class);
        optimizer(Qhm.Factory.class);
        optimizer(Lion.Factory.class);
    }
}
