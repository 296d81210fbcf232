package dev.propel.testkit;

import dev.propel.PluginInfo;
import dev.propel.Propel;
import dev.propel.kernel.KernelsProvider;
import dev.propel.spi.PropelPlugin;
import dev.propel.spi.SpiVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * The plugin contracts, one static method each; {@link PluginContract} runs them as JUnit tests.
 * Each throws a {@link ContractFailure} naming the contract and what to change.
 */
public final class PluginChecks {
    private static final Failures F = new Failures("plugin");
    /** Plugin names and type ids are lower-case words joined by '_' (names may also use '-'). */
    static final Pattern PLUGIN_NAME = Pattern.compile("[a-z][a-z0-9_-]*");
    static final Pattern TYPE_ID = Pattern.compile("[a-z][a-z0-9_]*");

    private PluginChecks() {
    }

    /** Runs every plugin contract on {@code plugin}. */
    public static void all(PropelPlugin plugin) {
        declaration(plugin);
        discoverable(plugin);
        loadsAlone(plugin);
    }

    /**
     * The plugin has a lower-case name and a version, and declares the SPI version it was compiled
     * against by overriding {@code spiVersion()} with {@code return SpiVersion.CURRENT;}: javac copies
     * that constant into the plugin's class, so a core with another SPI version can refuse the plugin
     * with an error naming both versions. (The interface's default would report the running core's
     * version instead, whatever the plugin was built against.)
     */
    public static void declaration(PropelPlugin plugin) {
        String contract = "declaration";
        String subject = plugin.getClass().getName();
        if (plugin.name() == null || !PLUGIN_NAME.matcher(plugin.name()).matches()) {
            throw F.fail(contract, subject, "name() is '" + plugin.name() + "'; use a lower-case name matching "
                    + PLUGIN_NAME.pattern() + " (the model formats record it)");
        }
        if (plugin.version() == null || plugin.version().isBlank()) {
            throw F.fail(contract, subject, "version() is blank; report the plugin's version, e.g. \"1.0.0\"");
        }
        Class<?> declaring;
        try {
            declaring = plugin.getClass().getMethod("spiVersion").getDeclaringClass();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        if (declaring.getName().startsWith("dev.propel.spi.")) {
            throw F.fail(contract, subject, "spiVersion() is inherited from " + declaring.getName()
                    + ", so the plugin does not declare the SPI version it was built against; add"
                    + " '@Override public int spiVersion() { return SpiVersion.CURRENT; }' to " + plugin.getClass().getSimpleName());
        }
        if (plugin.spiVersion() != SpiVersion.CURRENT) {
            throw F.fail(contract, subject, "spiVersion() is " + plugin.spiVersion() + " but the Propel core these tests run"
                    + " on provides SPI version " + SpiVersion.CURRENT + "; rebuild the plugin against this core");
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
     * A registry made of this plugin alone loads it, it provides at least one type, every type id is
     * lower-case ({@code [a-z][a-z0-9_]*}) and every type has a description.
     */
    public static void loadsAlone(PropelPlugin plugin) {
        String contract = "loads alone";
        String subject = plugin.getClass().getName();
        try (Propel propel = Propel.builder().discoverPlugins(false).plugin(plugin)
                .kernels(KernelsProvider.scalar()).build()) {
            PluginInfo info = propel.plugins().getFirst();
            List<String> ids = new ArrayList<>();
            ids.addAll(info.layers());
            ids.addAll(info.losses());
            ids.addAll(info.optimizers());
            if (ids.isEmpty()) {
                throw F.fail(contract, subject, "the plugin provides no layer, loss or optimizer; register factories in"
                        + " configurePlugin() with layer(...), loss(...) and optimizer(...)");
            }
            for (String id : ids) {
                if (!TYPE_ID.matcher(id).matches()) {
                    throw F.fail(contract, subject, "type id '" + id + "' does not match " + TYPE_ID.pattern()
                            + "; ids are lower-case words joined by '_', as in model files and JSON specs");
                }
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
