package dev.propel.plugins;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * The class loader of one plugin directory entry: its jars, then (first, by delegation) the shared
 * API of {@link SharedApiClassLoader}. A class found in neither fails with a message that says what
 * a plugin may use, so a plugin touching e.g. {@code dev.propel.model} learns why it cannot.
 */
final class PluginClassLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    PluginClassLoader(String name, URL[] jars, SharedApiClassLoader parent) {
        super(name, jars, parent);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        try {
            return super.findClass(name);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException(name + " is neither in the plugin's jars nor visible to plugins: a plugin may"
                    + " use only " + PluginApi.SUMMARY + " of the host. The rest of the Propel core is internal and may"
                    + " change in any release; bundle any other class the plugin needs in its own jar or plugin folder");
        }
    }
}
