package dev.propel.plugins;

import java.net.URL;
import java.security.CodeSource;
import java.util.List;

/**
 * The parent of every plugin class loader: it sees the JDK (through the platform class loader) and,
 * from the host application, only the Propel core ({@code dev.propel.*} classes that come from the
 * same jar or directory as the core itself) and the libraries the SPI exposes to plugins: Guice and
 * the {@code jakarta.inject}, {@code javax.inject} and AOP Alliance annotations and interfaces it
 * uses. Everything else on the host's class path (other plugins, Jackson, Guava, picocli...) is
 * invisible, so a plugin brings its own copies of its dependencies and they cannot clash with the
 * host's. It has no resources of its own, so {@code ServiceLoader} on a plugin's loader finds only
 * the services files inside the plugin's jars.
 */
final class SharedApiClassLoader extends ClassLoader {
    /** Package prefixes of the libraries the SPI exposes (a plugin is a Guice module). */
    static final List<String> SHARED_LIBRARIES = List.of(
            "com.google.inject.", "jakarta.inject.", "javax.inject.", "org.aopalliance.");
    private static final String CORE_PREFIX = "dev.propel.";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader host;
    private final Class<?> coreAnchor;

    /**
     * @param host       the class loader that loaded the core (and the shared libraries)
     * @param coreAnchor a class of the core; {@code dev.propel} classes from the same code source are shared
     */
    SharedApiClassLoader(ClassLoader host, Class<?> coreAnchor) {
        super("propel-shared-api", ClassLoader.getPlatformClassLoader());
        this.host = host;
        this.coreAnchor = coreAnchor;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (String prefix : SHARED_LIBRARIES) {
            if (name.startsWith(prefix)) return host.loadClass(name);
        }
        if (name.startsWith(CORE_PREFIX)) {
            Class<?> c = host.loadClass(name);
            if (sameCodeSource(c, coreAnchor)) return c;
        }
        throw new ClassNotFoundException(name + " (plugins see only the Propel core, Guice and the inject annotations of"
                + " the host; bundle any other class the plugin needs in its own jar or plugin directory)");
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
