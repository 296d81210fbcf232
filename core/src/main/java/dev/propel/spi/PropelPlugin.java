package dev.propel.spi;

import com.google.inject.Module;

/**
 * A plugin: a Guice module, listed in {@code META-INF/services/dev.propel.spi.PropelPlugin}, that
 * binds layer, loss and optimizer factories (most easily by extending {@link AbstractPropelPlugin}).
 * Its factories may {@code @Inject} what the core binds, e.g. {@link dev.propel.kernel.Kernels}.
 */
public interface PropelPlugin extends Module {

    /**
     * Stable plugin name, e.g. {@code "standard"}: lower-case letters, digits, {@code '_'} and
     * {@code '-'}, starting with a letter. The model formats record it.
     */
    String name();

    /** The plugin's version, e.g. {@code "1.2.0"}: not blank, no spaces or control characters. */
    String version();

    /**
     * The SPI version the plugin was compiled against, {@code "major.minor"}. Implement it as
     * {@code return SpiVersion.CURRENT;}: that constant is copied into the plugin's class when it is
     * compiled, so the core learns which SPI the plugin was built for and refuses one that needs a
     * newer core (see {@link SpiVersion}).
     */
    String spiVersion();
}
