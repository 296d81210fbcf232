package dev.propel.plugins;

import dev.propel.spi.SpiVersion;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule by which a core accepts a plugin's SPI version (see {@link SpiVersion}): the same major
 * version, and a minor version no newer than the core's.
 */
final class SpiCompatibility {
    private static final Pattern MAJOR_MINOR = Pattern.compile("(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})");

    private SpiCompatibility() {
    }

    /**
     * Why a plugin built for SPI {@code plugin} cannot run on a core with SPI {@code core}, and what to
     * do about it, as the end of a sentence that names the plugin; or {@code null} if it can run.
     */
    static String refusal(String plugin, String core) {
        Matcher c = MAJOR_MINOR.matcher(core);
        if (!c.matches()) throw new IllegalArgumentException("core SPI version '" + core + "' is not major.minor");
        int coreMajor = Integer.parseInt(c.group(1));
        Matcher p = plugin == null ? null : MAJOR_MINOR.matcher(plugin);
        if (p == null || !p.matches()) {
            return "declares SPI version " + (plugin == null ? "null" : PluginText.quote(plugin))
                    + ", which is not major.minor like \"" + core + "\"; its spiVersion() must return SpiVersion.CURRENT."
                    + " Install a build of the plugin made for SPI " + coreMajor + ".x";
        }
        int major = Integer.parseInt(p.group(1));
        int minor = Integer.parseInt(p.group(2));
        int coreMinor = Integer.parseInt(c.group(2));
        if (major != coreMajor) {
            return "was built for Propel SPI " + plugin + " but this core provides SPI " + core + ", and a plugin runs only"
                    + " on a core of the same SPI major version; install a build of the plugin made for SPI " + coreMajor
                    + ".x, or a Propel release with SPI " + major + ".x";
        }
        if (minor > coreMinor) {
            return "was built for Propel SPI " + plugin + " but this core provides SPI " + core + ", which lacks what "
                    + plugin + " added; upgrade Propel to a release with SPI " + plugin + " or a later " + major
                    + ".x, or install a build of the plugin made for SPI " + core;
        }
        return null;
    }
}
