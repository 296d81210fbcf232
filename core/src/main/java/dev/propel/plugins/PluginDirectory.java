package dev.propel.plugins;

import dev.propel.spi.PluginException;
import dev.propel.spi.PropelPlugin;
import dev.propel.spi.SpiVersion;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads plugins from a directory, each in its own class loader. The directory holds one entry per
 * plugin:
 * <pre>
 *   plugins/
 *     example-plugin-1.0.jar      a plugin in one jar (with its dependencies shaded in, or none)
 *     big-plugin/                 a plugin with dependencies: every jar directly in the folder
 *       big-plugin-2.0.jar
 *       commons-math3-3.6.1.jar
 * </pre>
 * Each entry gets a {@link URLClassLoader} over its jars whose parent exposes only the plugin API
 * packages of the core, Guice and the inject annotations (see {@link PluginApi} and
 * {@link SharedApiClassLoader}); so a plugin's own dependencies never clash with the host's or
 * another plugin's. This separates dependencies; it is not a sandbox: a plugin is trusted code that
 * runs with all the rights of the host process. The plugins are the classes the
 * entry lists in {@code META-INF/services/dev.propel.spi.PropelPlugin}. Files that are not jars and
 * entries whose name starts with a dot are ignored.
 */
public final class PluginDirectory {
    private static final String SERVICES = "META-INF/services/" + PropelPlugin.class.getName();

    private PluginDirectory() {
    }

    /** A plugin loaded from a directory: the instance, the jar or folder it came from, and its class loader. */
    public record LoadedPlugin(PropelPlugin plugin, Path source, URLClassLoader loader) {
    }

    /**
     * Loads every plugin in {@code directory}, in file-name order. On any error, the class loaders
     * opened so far are closed and a {@link PluginException} names the directory entry and the way out.
     */
    public static List<LoadedPlugin> load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new PluginException("plugin directory '" + directory + "' "
                    + (Files.exists(directory) ? "is not a directory" : "does not exist")
                    + "; give a directory that holds plugin jars (or one folder of jars per plugin)");
        }
        SharedApiClassLoader shared = new SharedApiClassLoader(PropelPlugin.class.getClassLoader(), PropelPlugin.class);
        List<LoadedPlugin> loaded = new ArrayList<>();
        try {
            for (Path entry : entries(directory)) {
                loaded.addAll(loadEntry(entry, jarsOf(entry), shared));
            }
            return loaded;
        } catch (RuntimeException | Error e) {
            for (LoadedPlugin p : loaded) closeQuietly(p.loader());
            throw e;
        }
    }

    private static List<Path> entries(Path directory) {
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isDirectory(p) || isJar(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new PluginException("cannot list plugin directory '" + directory + "': " + e, e);
        }
    }

    private static List<Path> jarsOf(Path entry) {
        if (!Files.isDirectory(entry)) return List.of(entry);
        List<Path> jars;
        try (Stream<Path> s = Files.list(entry)) {
            jars = s.filter(PluginDirectory::isJar).sorted().toList();
        } catch (IOException e) {
            throw new PluginException("cannot list plugin folder '" + entry + "': " + e, e);
        }
        if (jars.isEmpty()) {
            throw new PluginException("plugin folder '" + entry + "' holds no .jar files; put the plugin's jar and the jars it"
                    + " depends on directly in it, or remove the folder");
        }
        return jars;
    }

    private static boolean isJar(Path p) {
        return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar");
    }

    private static List<LoadedPlugin> loadEntry(Path entry, List<Path> jars, SharedApiClassLoader shared) {
        URL[] urls = new URL[jars.size()];
        boolean declaresPlugin = false;
        for (int i = 0; i < urls.length; i++) {
            Path jar = jars.get(i);
            try (JarFile f = new JarFile(jar.toFile())) {
                declaresPlugin |= f.getEntry(SERVICES) != null;
                urls[i] = jar.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new PluginException("plugin jar '" + jar + "' has no usable URL: " + e, e);
            } catch (IOException e) {
                throw new PluginException("plugin jar '" + jar + "' cannot be read as a jar (" + e.getMessage()
                        + "); replace it with an intact copy or remove it", e);
            }
        }
        if (!declaresPlugin) {
            throw new PluginException("'" + entry + "' holds no Propel plugin: none of its jars has " + SERVICES
                    + "; add that file naming the plugin class, or move the jar out of the plugin directory"
                    + (jars.size() == 1 ? " (a plugin's dependencies go into a folder together with the plugin jar)" : ""));
        }
        String name = "propel-plugin:" + entry.getFileName();
        URLClassLoader loader = new PluginClassLoader(name, urls, shared);
        try {
            List<LoadedPlugin> plugins = new ArrayList<>();
            for (ServiceLoader.Provider<PropelPlugin> provider : ServiceLoader.load(PropelPlugin.class, loader).stream().toList()) {
                if (provider.type().getClassLoader() != loader) continue;
                plugins.add(new LoadedPlugin(provider.get(), entry, loader));
            }
            return plugins;
        } catch (ServiceConfigurationError | LinkageError e) {
            closeQuietly(loader);
            Throwable cause = e instanceof ServiceConfigurationError && e.getCause() != null ? e.getCause() : e;
            throw new PluginException("the plugin in '" + entry + "' could not be loaded: " + PluginText.describe(e)
                    + (cause instanceof LinkageError
                    ? "; a class it needs is missing or incompatible. A plugin sees only " + PluginApi.SUMMARY
                    + " of the host (SPI " + SpiVersion.CURRENT + "): bundle every other class in its jar or folder,"
                    + " and build it against this version of Propel"
                    : "; check the class named in " + SERVICES), e);
        } catch (RuntimeException e) {
            closeQuietly(loader);
            throw new PluginException("the plugin in '" + entry + "' failed while being created: " + e, e);
        }
    }

    /**
     * Where a plugin's classes come from, for messages: the jar or folder path, or {@code null} when the
     * JVM does not say.
     */
    public static Path locationOf(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) return null;
        try {
            return Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // Closing only releases open jar files; there is nothing to report.
        }
    }
}
