package dev.propel.testkit;

import dev.propel.spi.PropelPlugin;
import org.junit.jupiter.api.Test;

/**
 * The plugin contracts of {@link PluginChecks} as JUnit Jupiter tests:
 *
 * <pre>{@code
 * class ExamplePluginContractTest extends PluginContract {
 *     @Override
 *     protected PropelPlugin plugin() {
 *         return new ExamplePlugin();
 *     }
 * }
 * }</pre>
 */
public abstract class PluginContract {

    /** A fresh instance of the plugin under test. */
    protected abstract PropelPlugin plugin();

    /** Runs {@link PluginChecks#declaration} on {@link #plugin()}. */
    @Test
    public void declaration() {
        PluginChecks.declaration(plugin());
    }

    /** Runs {@link PluginChecks#discoverable} on {@link #plugin()}. */
    @Test
    public void discoverable() {
        PluginChecks.discoverable(plugin());
    }

    /** Runs {@link PluginChecks#loadsAlone} on {@link #plugin()}. */
    @Test
    public void loadsAlone() {
        PluginChecks.loadsAlone(plugin());
    }
}
