package dev.propel.model.testplugin;

import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.SpiVersion;

/**
 * A small plugin written only against the SPI, as a third party would, for tests of code that needs
 * real layers, a loss and optimizers: {@code affine}, {@code tanh}, {@code shift} (a layer with every
 * attribute kind), loss {@code mse}, optimizers {@code heavy_ball} (with state) and {@code plain_sgd}.
 */
public final class TinyPlugin extends AbstractPropelPlugin {
    public static final String NAME = "tiny";
    public static final String VERSION = "1.2.3";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    protected void configurePlugin() {
        layer(AffineLayer.Factory.class);
        layer(TanhLayer.Factory.class);
        layer(ShiftLayer.Factory.class);
        loss(MseLoss.Factory.class);
        optimizer(HeavyBallOptimizer.Factory.class);
        optimizer(PlainSgdOptimizer.Factory.class);
    }
}
