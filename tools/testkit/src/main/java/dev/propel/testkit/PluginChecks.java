package dev.propel.testkit;

import dev.propel.PluginInfo;
import dev.propel.Propel;
import dev.propel.kernel.KernelsProvider;
import dev.propel.plugins.PluginValidation;
import dev.propel.spi.PluginException;
import dev.propel.spi.PropelPlugin;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The plugin contracts, one static method each; {@link PluginContract} runs them as JUnit tests.
 * Each throws a {@link ContractFailure} naming the contract and what to change.
 */
public final class PluginChecks {
    private static final Failures F = new Failures("plugin");

    private PluginChecks() {
    }

    /** Runs every plugin contract on {@code plugin}. */
    public static void all(PropelPlugin plugin) {
        declaration(plugin);
        discoverable(plugin);
        loadsAlone(plugin);
    }

    /**
     * The plugin passes the checks the registry makes when it registers a plugin
     * ({@link PluginValidation}): a lower-case name ({@code [a-z][a-z0-9_-]*}), a version, and an SPI
     * version that the core these tests run on accepts. {@code spiVersion()} must be implemented as
     * {@code return SpiVersion.CURRENT;}: javac copies that constant into the plugin's class, so a core
     * can refuse a plugin built for a newer or another major SPI with an error naming both versions.
     */
    public static void declaration(PropelPlugin plugin) {
        try {
            PluginValidation.identify(plugin);
        } catch (PluginException e) {
            throw F.fail("declaration", plugin.getClass().getName(), e.getMessage(), e);
        }
    }

    /**
     * The plugin is listed in {@code META-INF/services/dev.propel.spi.PropelPlugin}, so Propel finds
     * it on a class path and in a plugin jar.
     */
    public static void discoverable(PropelPlugin plugin) {
        String contract = "discoverable";
        Class<?> type = plugin.getClass();
        List<String> found = new ArrayList<>();
        for (ServiceLoader.Provider<PropelPlugin> p : ServiceLoader.load(PropelPlugin.class, type.getClassLoader())
                .stream().toList()) {
            if (p.type() == type) return;
            found.add(p.type().getName());
        }
        throw F.fail(contract, type.getName(), "ServiceLoader does not find it (found " + (found.isEmpty() ? "no plugins" : found)
                + "); add the file src/main/resources/META-INF/services/" + PropelPlugin.class.getName()
                + " containing the line " + type.getName());
    }

    /**
     * A registry made of this plugin alone loads it (so every type id is lower-case,
     * {@code [a-z][a-z0-9_]*}: the registry refuses others), it provides at least one type and every
     * type has a description.
     */
    public static void loadsAlone(PropelPlugin plugin) {
        String contract = "loads alone";
        String subject = plugin.getClass().getName();
        try (Propel propel = Propel.builder().discoverPlugins(false).plugin(plugin)
                .kernels(KernelsProvider.scalar()).build()) {
            PluginInfo info = propel.plugins().getFirst();
            if (info.layers().isEmpty() && info.losses().isEmpty() && info.optimizers().isEmpty()) {
                throw F.fail(contract, subject, "the plugin provides no layer, loss or optimizer; register factories in"
                        + " configurePlugin() with layer(...), loss(...) and optimizer(...)");
            }
            for (String id : info.layers()) requireDescription(contract, subject, "layer", id, propel.layerFactory(id).description());
            for (String id : info.losses()) requireDescription(contract, subject, "loss", id, propel.lossFactory(id).description());
            for (String id : info.optimizers()) {
                requireDescription(contract, subject, "optimizer", id, propel.optimizerFactory(id).description());
            }
        } catch (RuntimeException e) {
            throw F.fail(contract, subject, "a registry of this plugin alone could not be built: " + e.getMessage(), e);
        }
    }

    private static void requireDescription(String contract, String subject, String kind, String id, String description) {
        if (description == null || description.isBlank()) {
            throw F.fail(contract, subject, kind + " type '" + id + "' has a blank description(); give one line for"
                    + " 'propel plugins'");
        }
    }
}
