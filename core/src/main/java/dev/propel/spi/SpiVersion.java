package dev.propel.spi;

/**
 * The version of this SPI, {@code "major.minor"}. A plugin reports the version it was built against
 * from {@link PropelPlugin#spiVersion()} by returning {@link #CURRENT}: {@code CURRENT} is a
 * compile-time constant, so javac copies its value into the plugin's class file, and a newer core
 * still sees the version the plugin was compiled against.
 *
 * <p>A core loads a plugin built for the same major version and the same or an older minor
 * version; it refuses a plugin built for a newer minor version (which may use what that minor
 * version added) or another major version, with an error naming both versions. Minor versions only
 * add to the API packages ({@code dev.propel.spi}, {@code dev.propel.tensor}, {@code dev.propel.kernel});
 * a major version may change or remove what is there.
 */
public final class SpiVersion {
    /**
     * The SPI version of this core: "2.2" (2.1 added {@link OperatorExport}; 2.2 added the kernels'
     * {@code packRight} and {@code gemmPackedRight}, a right operand packed once for many products).
     */
    public static final String CURRENT = "2.2";

    private SpiVersion() {
    }
}
