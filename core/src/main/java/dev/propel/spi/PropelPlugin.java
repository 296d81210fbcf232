package dev.propel.spi;

import com.google.inject.Module;

/**
 * A plugin: a Guice module, listed in {@code META-INF/services/dev.propel.spi.PropelPlugin}, that
 * binds layer, loss and optimizer factories (most easily by extending {@link AbstractPropelPlugin}).
 * Its factories may {@code @Inject} what the core binds, e.g. {@link dev.propel.kernel.Kernels}.
 */
public interface PropelPlugin extends Module {

    /** Stable plugin name, e.g. {@code "standard"}; the model formats record it. */
    String name();

    /** The plugin's version, e.g. {@code "1.2.0"}. */
    String version();

    /** The SPI version the plugin was compiled against; see {@link SpiVersion}. */
    default int spiVersion() {
        return SpiVersion.CURRENT;
    }
}
