package dev.propel.plugins;

import java.net.URL;
import java.security.CodeSource;

/**
 * The parent of every plugin class loader: it sees the JDK (through the platform class loader) and,
 * from the host application, only {@link PluginApi}: the core's plugin API packages
 * ({@code dev.propel.spi}, {@code dev.propel.tensor}, {@code dev.propel.kernel}, only classes that
 * come from the same jar or directory as the core itself) and the libraries the SPI exposes to
 * plugins: Guice and the {@code jakarta.inject}, {@code javax.inject} and AOP Alliance annotations
 * and interfaces it uses. The rest of the core ({@code dev.propel.model}, {@code dev.propel.train},
 * ...) and everything else on the host's class path (other plugins, Jackson, Guava, picocli...) is
 * invisible, so a plugin depends only on the versioned API, brings its own copies of its other
 * dependencies, and they cannot clash with the host's. It has no resources of its own, so
 * {@code ServiceLoader} on a plugin's loader finds only the services files inside the plugin's jars.
 */
final class SharedApiClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final ClassLoader host;
    private final Class<?> coreAnchor;

    /**
     * @param host       the class loader that loaded the core (and the shared libraries)
     * @param coreAnchor a class of the core; API classes from the same code source are shared
     */
    SharedApiClassLoader(ClassLoader host, Class<?> coreAnchor) {
        super("propel-shared-api", ClassLoader.getPlatformClassLoader());
        this.host = host;
        this.coreAnchor = coreAnchor;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (PluginApi.isLibraryClass(name)) return host.loadClass(name);
        if (PluginApi.isApiClass(name)) {
            Class<?> c = host.loadClass(name);
            if (sameCodeSource(c, coreAnchor)) return c;
        }
        // The plugin's own loader, which asks this one first, explains the refusal (PluginClassLoader).
        throw new ClassNotFoundException(name);
    }

    private static boolean sameCodeSource(Class<?> a, Class<?> b) {
        if (a.getClassLoader() != b.getClassLoader()) return false;
        URL la = location(a);
        URL lb = location(b);
        return la == null ? lb == null : lb != null && la.toExternalForm().equals(lb.toExternalForm());
    }

    private static URL location(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        return cs == null ? null : cs.getLocation();
    }
}
