package dev.propel.fakes;

import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.SpiVersion;

/** A well-behaved test plugin listed in the test services file: two layers, a loss and an optimizer. */
public final class FakeCorePlugin extends AbstractPropelPlugin {
    public static final String NAME = "fake-core";

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
        layer(ScaleLayerFactory.class);
        layer(ProjectLayerFactory.class);
        loss(SquaredErrorLossFactory.class);
        optimizer(SgdOptimizerFactory.class);
    }
}
