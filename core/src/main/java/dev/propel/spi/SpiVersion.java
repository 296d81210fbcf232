package dev.propel.spi;

/**
 * The version of this SPI. A plugin built against another SPI version is refused with an error
 * naming both. The number changes only when the SPI changes incompatibly.
 */
public final class SpiVersion {
    public static final int CURRENT = 1;

    private SpiVersion() {
    }
}
