package dev.propel.spi;

/** A plugin cannot be loaded: wrong SPI version, a type id claimed twice, a failing Guice module. */
public class PluginException extends PropelException {
    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
