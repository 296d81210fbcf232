package dev.propel.fakes;

import dev.propel.Propel;
import dev.propel.kernel.KernelsProvider;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;

/**
 * Class loaders and registries for the test plugins. The services files live under
 * {@code plugin-fixtures/<name>/META-INF/services/} rather than in the test class path's own
 * {@code META-INF/services}, so that no other test (nor a module using the core test-jar)
 * discovers the fake plugins by accident.
 */
public final class PluginFixtures {
    private PluginFixtures() {
    }

    /**
     * A class loader whose {@code META-INF/services} files are only those of fixture {@code name};
     * classes still come from the test class path.
     */
    public static ClassLoader servicesOf(String name) {
        ClassLoader parent = PluginFixtures.class.getClassLoader();
        URL root = parent.getResource("plugin-fixtures/" + name + "/");
        if (root == null) throw new IllegalArgumentException("no plugin fixture '" + name + "' on the test class path");
        return new URLClassLoader(new URL[]{root}, parent) {
            @Override
            public Enumeration<URL> getResources(String resource) throws IOException {
                // Only this fixture's services files, not the parent's.
                return resource.startsWith("META-INF/services/") ? findResources(resource) : super.getResources(resource);
            }
        };
    }

    /** A registry of the two well-behaved plugins, discovered by ServiceLoader, on scalar kernels. */
    public static Propel discovered() {
        return Propel.builder().classLoader(servicesOf("two-plugins")).kernels(KernelsProvider.scalar()).build();
    }
}
