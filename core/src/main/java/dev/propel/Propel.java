package dev.propel;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;
import dev.propel.model.Model;
import dev.propel.model.ComponentSpec;
import dev.propel.model.ModelBuilder;
import dev.propel.model.ModelSpec;
import dev.propel.plugins.PluginApi;
import dev.propel.plugins.PluginDirectory;
import dev.propel.plugins.PluginText;
import dev.propel.plugins.PluginValidation;
import dev.propel.spi.Attributes;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LossFactory;
import dev.propel.spi.Optimizer;
import dev.propel.spi.OptimizerFactory;
import dev.propel.spi.PluginException;
import dev.propel.spi.PropelException;
import dev.propel.spi.PropelPlugin;
import dev.propel.spi.Schedule;
import dev.propel.spi.ScheduleFactory;
import dev.propel.spi.UnknownTypeException;
import dev.propel.train.schedule.Schedules;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The registry: the plugins it was built from, the factories they provide, and the kernels. There is
 * no global instance; two {@code Propel}s with different plugin sets can live in one JVM.
 *
 * <pre>{@code
 * try (Propel propel = Propel.create()) {
 *     Model model = propel.build(spec, 42);
 * }
 * }</pre>
 */
public final class Propel implements AutoCloseable {
    /**
     * Guice logs every exception a module throws at INFO, stack trace included, before rethrowing it;
     * Propel reports a failing plugin itself in one line, so that log is noise. Held strongly so the
     * level sticks.
     */
    private static final java.util.logging.Logger GUICE_MESSAGES =
            java.util.logging.Logger.getLogger("com.google.inject.internal.MessageProcessor");

    static {
        GUICE_MESSAGES.setLevel(java.util.logging.Level.WARNING);
    }

    private final Kernels kernels;
    /** Stops the kernels' threads: only this registry can (plugins are handed kernels they cannot close). */
    private final Runnable closeKernels;
    private final List<PluginInfo> plugins;
    private final Map<String, Provided<LayerFactory>> layers;
    private final Map<String, Provided<LossFactory>> losses;
    private final Map<String, Provided<OptimizerFactory>> optimizers;
    private final Map<String, Provided<ScheduleFactory>> schedules;
    private final Map<String, Class<?>> pluginClasses = new LinkedHashMap<>();
    /** Class loaders of plugins loaded from directories, closed with this registry. */
    private final List<PluginDirectory.LoadedPlugin> loadedFromDirectories;

    private record Provided<T>(T factory, String plugin) {
    }

    /** The provider {@link #providerOf} names for the core's own (learning-rate schedule) types. */
    public static final String CORE = "core";

    private Propel(Kernels kernels, Runnable closeKernels, List<PropelPlugin> pluginModules,
                   List<PluginDirectory.LoadedPlugin> fromDirectories) {
        this.kernels = kernels;
        this.closeKernels = closeKernels;
        this.loadedFromDirectories = List.copyOf(fromDirectories);
        Injector core = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(Kernels.class).toInstance(kernels);
            }
        });
        Map<String, Provided<LayerFactory>> l = new TreeMap<>();
        Map<String, Provided<LossFactory>> lo = new TreeMap<>();
        Map<String, Provided<OptimizerFactory>> o = new TreeMap<>();
        Map<String, Provided<ScheduleFactory>> sc = new TreeMap<>();
        // The core's own schedule types (see Schedules) need no plugin; a plugin may add more.
        for (ScheduleFactory f : Schedules.builtIn()) sc.put(f.typeId(), new Provided<>(f, CORE));
        List<PluginInfo> infos = new ArrayList<>();
        Map<String, PropelPlugin> byName = new LinkedHashMap<>();
        for (PropelPlugin plugin : pluginModules) {
            PluginValidation.Identity identity = checkPlugin(plugin, byName);
            Injector injector;
            try {
                injector = core.createChildInjector(plugin);
            } catch (RuntimeException e) {
                throw new PluginException("plugin '" + plugin.name() + "' " + plugin.version()
                        + " failed to configure: " + e.getMessage(), e);
            } catch (LinkageError e) {
                throw new PluginException("plugin '" + plugin.name() + "' " + plugin.version() + PluginValidation.from(plugin)
                        + " failed to configure: " + PluginText.describe(e) + "; a class it needs is missing or incompatible. Plugins loaded"
                        + " from a plugin directory see only " + PluginApi.SUMMARY + " of the host,"
                        + " so bundle every other class in the plugin's jar or folder", e);
            }
            List<String> layerIds = register(injector, LayerFactory.class, LayerFactory::typeId, l, "layer", plugin);
            List<String> lossIds = register(injector, LossFactory.class, LossFactory::typeId, lo, "loss", plugin);
            List<String> optIds = register(injector, OptimizerFactory.class, OptimizerFactory::typeId, o, "optimizer", plugin);
            List<String> scheduleIds = register(injector, ScheduleFactory.class, ScheduleFactory::typeId, sc, "schedule", plugin);
            pluginClasses.put(plugin.name(), plugin.getClass());
            infos.add(new PluginInfo(identity.name(), identity.version(), identity.spiVersion(), layerIds, lossIds, optIds,
                    scheduleIds));
        }
        this.layers = Collections.unmodifiableMap(l);
        this.losses = Collections.unmodifiableMap(lo);
        this.optimizers = Collections.unmodifiableMap(o);
        this.schedules = Collections.unmodifiableMap(sc);
        this.plugins = List.copyOf(infos);
    }

    private static PluginValidation.Identity checkPlugin(PropelPlugin plugin, Map<String, PropelPlugin> byName) {
        PluginValidation.Identity identity = PluginValidation.identify(plugin);
        PropelPlugin other = byName.putIfAbsent(identity.name(), plugin);
        if (other != null) {
            throw new PluginException("two plugins are named '" + plugin.name() + "': " + describe(other) + " and "
                    + describe(plugin) + "; remove one of them");
        }
        return identity;
    }

    private static String describe(PropelPlugin p) {
        return p.getClass().getName() + " " + p.version() + PluginValidation.from(p);
    }

    private static <T> List<String> register(Injector injector, Class<T> type, Function<T, String> id,
                                             Map<String, Provided<T>> into, String kind, PropelPlugin plugin) {
        @SuppressWarnings("unchecked")
        Key<Set<T>> key = (Key<Set<T>>) Key.get(TypeLiteral.get(
                com.google.inject.util.Types.setOf(type)));
        if (injector.getExistingBinding(key) == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (T factory : injector.getInstance(key)) {
            String typeId = PluginValidation.typeId(kind, factory, () -> id.apply(factory), plugin.name());
            Provided<T> previous = into.putIfAbsent(typeId, new Provided<>(factory, plugin.name()));
            if (previous != null && previous.plugin().equals(CORE)) {
                throw new PluginException(kind + " type '" + typeId + "' of plugin '" + plugin.name()
                        + "' is one the core provides itself; rename the plugin's type");
            }
            if (previous != null) {
                throw new PluginException(kind + " type '" + typeId + "' is provided by two plugins: '" + previous.plugin()
                        + "' and '" + plugin.name() + "'; remove one of the plugins or rename the type in one of them");
            }
            ids.add(typeId);
        }
        Collections.sort(ids);
        return List.copyOf(ids);
    }

    /** A Propel with every plugin on the class path and as many kernel threads as cores. */
    public static Propel create() {
        return builder().build();
    }

    /**
     * A builder for a registry with chosen plugins, plugin directories, kernel thread count or kernels; {@link
     * #create()} is {@code builder().build()}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The kernels every model, layer and optimizer built by this registry computes with (Vector API or scalar, with
     * this registry's thread pool).
     */
    public Kernels kernels() {
        return kernels;
    }

    /** Every registered plugin, in registration order: its name, version, SPI version and the type ids it provides. */
    public List<PluginInfo> plugins() {
        return plugins;
    }

    /**
     * The factory of layer type {@code typeId}; throws {@link UnknownTypeException} (with the closest installed names)
     * when no plugin provides it.
     */
    public LayerFactory layerFactory(String typeId) {
        return lookup(layers, typeId, "layer").factory();
    }

    /**
     * The factory of loss type {@code typeId}; throws {@link UnknownTypeException} (with the closest installed names)
     * when no plugin provides it.
     */
    public LossFactory lossFactory(String typeId) {
        return lookup(losses, typeId, "loss").factory();
    }

    /**
     * The factory of optimizer type {@code typeId}; throws {@link UnknownTypeException} (with the closest installed
     * names) when no plugin provides it.
     */
    public OptimizerFactory optimizerFactory(String typeId) {
        return lookup(optimizers, typeId, "optimizer").factory();
    }

    /** The learning-rate schedule type {@code typeId}: one of the core's or a plugin's. */
    public ScheduleFactory scheduleFactory(String typeId) {
        return lookup(schedules, typeId, "learning-rate schedule").factory();
    }

    /**
     * The schedule {@code chain} describes: components outermost first, each but the last wrapping the
     * next (e.g. warmup, then cosine), every attribute validated.
     */
    public Schedule schedule(List<ComponentSpec> chain) {
        return Schedules.build(chain, this::scheduleFactory);
    }

    /**
     * Where plugin {@code name} was loaded from: its jar or class folder (for a plugin from a plugin
     * directory, the jar or folder in that directory), or {@code null} if no such plugin is installed or
     * the JVM does not say.
     */
    public Path pluginLocation(String name) {
        for (PluginDirectory.LoadedPlugin p : loadedFromDirectories) {
            if (p.plugin().name().equals(name)) return p.source();
        }
        return pluginClasses.containsKey(name) ? PluginDirectory.locationOf(pluginClasses.get(name)) : null;
    }

    /**
     * The name of the plugin that provides layer, loss, optimizer or schedule type {@code typeId}
     * ({@link #CORE} for the core's schedules), or null.
     */
    public String providerOf(String typeId) {
        for (Map<String, ? extends Provided<?>> m : List.of(layers, losses, optimizers, schedules)) {
            Provided<?> p = m.get(typeId);
            if (p != null) return p.plugin();
        }
        return null;
    }

    private <T> Provided<T> lookup(Map<String, Provided<T>> map, String typeId, String kind) {
        Provided<T> p = map.get(typeId);
        if (p == null) {
            throw new UnknownTypeException(typeId, "unknown " + kind + " type '" + typeId + "'; known " + kind + " types: "
                    + (map.isEmpty() ? "none" : String.join(", ", map.keySet())) + ". Installed plugins: "
                    + installedSummary() + ". Check the spelling, or install the plugin that provides '" + typeId + "'");
        }
        return p;
    }

    /** "standard 0.1.0, example 1.0" or "none". */
    public String installedSummary() {
        if (plugins.isEmpty()) return "none";
        List<String> parts = new ArrayList<>();
        for (PluginInfo p : plugins) parts.add(p.name() + " " + p.version());
        return String.join(", ", parts);
    }

    /** Builds a model from a spec; parameters are initialised from {@code seed}. */
    public Model build(ModelSpec spec, long seed) {
        return new ModelBuilder(this).build(spec, seed);
    }

    /** The optimizer a spec names (its {@code optimizer} entry), with validated attributes. */
    public Optimizer optimizer(String typeId, Map<String, ?> attributes) {
        OptimizerFactory f = optimizerFactory(typeId);
        Attributes a = f.schema().resolve("optimizer '" + typeId + "'", attributes);
        return f.create(a);
    }

    /** Stops the kernel threads and closes the class loaders of plugins loaded from directories. */
    @Override
    public void close() {
        closeKernels.run();
        closeLoaders(loadedFromDirectories);
    }

    private static void closeLoaders(List<PluginDirectory.LoadedPlugin> plugins) {
        for (PluginDirectory.LoadedPlugin p : plugins) {
            try {
                p.loader().close();
            } catch (IOException ignored) {
                // Closing only releases the plugin's jar files.
            }
        }
    }

    /** Configures a {@link Propel}: plugins (discovered and/or given), threads, warning sink. */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean discover = true;
        private ClassLoader classLoader;
        private final List<PropelPlugin> explicit = new ArrayList<>();
        private final List<Path> pluginDirectories = new ArrayList<>();
        private Consumer<String> warnings = System.err::println;
        private Kernels kernels;

        /** Kernel threads (default: available processors). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new PropelException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Whether to find plugins with ServiceLoader (default true). */
        public Builder discoverPlugins(boolean discover) {
            this.discover = discover;
            return this;
        }

        /** The class loader ServiceLoader searches (default: the thread context class loader). */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /** Adds a plugin instance explicitly (in addition to discovered ones). */
        public Builder plugin(PropelPlugin plugin) {
            explicit.add(plugin);
            return this;
        }

        /**
         * Also loads the plugins in {@code directory}: each jar, or each folder of jars, in its own class
         * loader that shares only the Propel core, Guice and the inject annotations with the host (see
         * {@link PluginDirectory}). May be called for several directories.
         */
        public Builder pluginDirectory(Path directory) {
            pluginDirectories.add(directory);
            return this;
        }

        /** Where the one-line warnings go (default: standard error). */
        public Builder warnings(Consumer<String> sink) {
            this.warnings = sink;
            return this;
        }

        /** Uses these kernels instead of choosing (e.g. the scalar reference in tests). */
        public Builder kernels(Kernels kernels) {
            this.kernels = kernels;
            return this;
        }

        /**
         * Finds the plugins (class path unless turned off, given ones, plugin directories), validates them and starts
         * the kernels; throws {@link PluginException} naming the plugin that cannot be loaded.
         */
        public Propel build() {
            List<PropelPlugin> all = new ArrayList<>();
            if (discover) {
                ClassLoader cl = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
                try {
                    for (PropelPlugin p : ServiceLoader.load(PropelPlugin.class, cl)) all.add(p);
                } catch (java.util.ServiceConfigurationError e) {
                    throw new PluginException("a plugin listed in META-INF/services/" + PropelPlugin.class.getName()
                            + " could not be loaded: " + e.getMessage(), e);
                }
            }
            for (PropelPlugin p : explicit) {
                if (all.stream().noneMatch(q -> q.getClass() == p.getClass())) all.add(p);
            }
            List<PluginDirectory.LoadedPlugin> fromDirectories = new ArrayList<>();
            try {
                for (Path dir : pluginDirectories) fromDirectories.addAll(PluginDirectory.load(dir));
                for (PluginDirectory.LoadedPlugin p : fromDirectories) all.add(p.plugin());
                Kernels k = kernels != null ? kernels : KernelsProvider.create(threads, warnings);
                Runnable closeKernels = KernelsProvider.claim(k);
                try {
                    return new Propel(k, closeKernels, all, fromDirectories);
                } catch (RuntimeException | Error e) {
                    if (kernels == null) closeKernels.run();
                    throw e;
                }
            } catch (RuntimeException | Error e) {
                closeLoaders(fromDirectories);
                throw e;
            }
        }
    }
}
