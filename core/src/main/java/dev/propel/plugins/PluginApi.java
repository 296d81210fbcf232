package dev.propel.plugins;

import java.util.List;

/**
 * What of the host a plugin loaded from a plugin directory may use: the plugin API packages of the
 * core (and their subpackages) and the libraries the SPI exposes (a plugin is a Guice module). The
 * API packages are the ones whose binary compatibility the build checks against
 * {@code core/api-baseline} (see docs/plugin-guide.md, "Compatibility policy").
 */
public final class PluginApi {
    /** The core's plugin API: the SPI, tensors and kernels. */
    public static final List<String> PACKAGES = List.of("dev.propel.spi", "dev.propel.tensor", "dev.propel.kernel");
    /** Guice and the annotations and interfaces it uses. */
    public static final List<String> LIBRARIES = List.of(
            "com.google.inject", "jakarta.inject", "javax.inject", "org.aopalliance");
    /** For messages: "the Propel plugin API (dev.propel.spi, ...) and Guice (com.google.inject, ...)". */
    public static final String SUMMARY = "the Propel plugin API (packages " + String.join(", ", PACKAGES)
            + ") and Guice (" + String.join(", ", LIBRARIES) + ")";

    private PluginApi() {
    }

    /** Whether {@code className} lies in one of the core's API packages or a subpackage of one. */
    static boolean isApiClass(String className) {
        return inAny(className, PACKAGES);
    }

    /** Whether {@code className} lies in one of the shared libraries' packages or their subpackages. */
    static boolean isLibraryClass(String className) {
        return inAny(className, LIBRARIES);
    }

    private static boolean inAny(String className, List<String> packages) {
        for (String p : packages) {
            if (className.startsWith(p) && className.length() > p.length() && className.charAt(p.length()) == '.') {
                return true;
            }
        }
        return false;
    }
}
