package dev.propel.plugins;

import dev.propel.spi.PluginException;
import dev.propel.spi.PropelPlugin;
import dev.propel.spi.SpiVersion;

import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The checks a plugin passes when it is registered: its name, version and SPI version are read once
 * (a plugin whose method throws is named by its class and jar), the SPI version must be one this
 * core accepts, and the name and every type id must follow the naming rules, which the model
 * formats and specs depend on. Every message quotes plugin-supplied text with {@link PluginText}.
 */
public final class PluginValidation {
    /** Plugin names: lower-case words joined by '_' or '-'. */
    static final Pattern PLUGIN_NAME = Pattern.compile("[a-z][a-z0-9_-]*");
    /** Layer, loss and optimizer type ids: lower-case words joined by '_', as in model files and specs. */
    static final Pattern TYPE_ID = Pattern.compile("[a-z][a-z0-9_]*");

    private PluginValidation() {
    }

    /** What a plugin says it is, read once and checked. */
    public record Identity(String name, String version, String spiVersion) {
    }

    /** Reads and checks {@code plugin}'s name, version and SPI version against this core's SPI version. */
    public static Identity identify(PropelPlugin plugin) {
        return identify(plugin, SpiVersion.CURRENT);
    }

    static Identity identify(PropelPlugin plugin, String coreSpiVersion) {
        String unnamed = "the plugin " + plugin.getClass().getName() + from(plugin);
        String name = call(unnamed, "name", plugin::name);
        String version = call(unnamed, "version", plugin::version);
        String spiVersion = call(unnamed, "spiVersion", plugin::spiVersion);
        if (name == null || !PLUGIN_NAME.matcher(name).matches()) {
            throw new PluginException(unnamed + " is named " + PluginText.quote(name) + "; a plugin name must match "
                    + PLUGIN_NAME.pattern() + " (lower-case letters, digits, '_' and '-', starting with a letter), because"
                    + " model files record it. Ask the plugin's author to fix name()");
        }
        if (version == null || version.isBlank() || version.codePoints().anyMatch(ch ->
                Character.isWhitespace(ch) || Character.isISOControl(ch))) {
            throw new PluginException("plugin '" + name + "'" + from(plugin) + " has version " + PluginText.quote(version)
                    + "; a plugin version must be a non-blank word without spaces or control characters, e.g. \"1.2.0\"."
                    + " Ask the plugin's author to fix version()");
        }
        String refusal = SpiCompatibility.refusal(spiVersion, coreSpiVersion);
        if (refusal != null) {
            throw new PluginException("plugin '" + name + "' " + PluginText.escape(version) + from(plugin) + " " + refusal);
        }
        return new Identity(name, version, spiVersion);
    }

    /**
     * The type id of a {@code kind} ("layer", "loss", "optimizer") factory of plugin {@code plugin},
     * read once from {@code typeId} and checked against {@link #TYPE_ID}.
     */
    public static String typeId(String kind, Object factory, Supplier<String> typeId, String plugin) {
        String subject = kind + " factory " + factory.getClass().getName() + " of plugin " + PluginText.quote(plugin);
        String id = call(subject, "typeId", typeId);
        if (id == null || !TYPE_ID.matcher(id).matches()) {
            throw new PluginException(subject + " has type id " + PluginText.quote(id) + "; a type id must match "
                    + TYPE_ID.pattern() + " (lower-case letters, digits and '_', starting with a letter), as model files"
                    + " and specs use it. Ask the plugin's author to fix typeId()");
        }
        return id;
    }

    /** " (from /path/plugin.jar)", or "" when the JVM does not say where the plugin's class came from. */
    public static String from(PropelPlugin plugin) {
        Path location = PluginDirectory.locationOf(plugin.getClass());
        return location == null ? "" : " (from " + location + ")";
    }

    private static String call(String subject, String method, Supplier<String> call) {
        try {
            return call.get();
        } catch (AbstractMethodError e) {
            throw new PluginException(subject + " does not implement " + method + "() as this core's SPI "
                    + SpiVersion.CURRENT + " declares it (" + e.getMessage() + "), so it was built for an older SPI;"
                    + " install a build of the plugin made for SPI " + SpiVersion.CURRENT, e);
        } catch (RuntimeException | LinkageError e) {
            throw new PluginException(subject + " failed in " + method + "(): " + PluginText.describe(e)
                    + "; fix or remove the plugin", e);
        }
    }
}
