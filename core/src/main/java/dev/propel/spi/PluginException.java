package dev.propel.spi;

/** A plugin cannot be loaded: wrong SPI version, a type id claimed twice, a failing Guice module. */
public class PluginException extends PropelException {
    /** A plugin error whose message names the plugin (class and jar) and what is wrong. */
    public PluginException(String message) {
        super(message);
    }

    /** A plugin error caused by {@code cause}, e.g. the exception a plugin's Guice module threw. */
    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
