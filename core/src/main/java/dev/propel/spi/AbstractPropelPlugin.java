package dev.propel.spi;

import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.propel.kernel.Kernels;

/**
 * Convenience base for plugins: implement {@link #configurePlugin()} and call {@link #layer},
 * {@link #loss}, {@link #optimizer} and {@link #schedule} for each type the plugin provides.
 */
public abstract class AbstractPropelPlugin extends AbstractModule implements PropelPlugin {
    private Multibinder<LayerFactory> layers;
    private Multibinder<LossFactory> losses;
    private Multibinder<OptimizerFactory> optimizers;
    private Multibinder<ScheduleFactory> schedules;

    @Override
    protected final void configure() {
        layers = Multibinder.newSetBinder(binder(), LayerFactory.class);
        losses = Multibinder.newSetBinder(binder(), LossFactory.class);
        optimizers = Multibinder.newSetBinder(binder(), OptimizerFactory.class);
        schedules = Multibinder.newSetBinder(binder(), ScheduleFactory.class);
        configurePlugin();
    }

    /** Registers this plugin's factories and any other bindings it needs. */
    protected abstract void configurePlugin();

    /** Registers a layer factory class (created by Guice, so it may {@code @Inject} the kernels or a kernel family). */
    protected final void layer(Class<? extends LayerFactory> factory) {
        layers.addBinding().to(factory);
    }

    /** Registers a loss factory class (created by Guice, so it may {@code @Inject} the kernels or a kernel family). */
    protected final void loss(Class<? extends LossFactory> factory) {
        losses.addBinding().to(factory);
    }

    /**
     * Registers an optimizer factory class (created by Guice, so it may {@code @Inject} the kernels or a kernel
     * family).
     */
    protected final void optimizer(Class<? extends OptimizerFactory> factory) {
        optimizers.addBinding().to(factory);
    }

    /**
     * Registers a family of the plugin's own kernels: its factories may then {@code @Inject} the family's
     * interface and get the implementation that suits the core's kernels (see {@link KernelFamily}).
     */
    protected final <T> void kernels(KernelFamily<T> family) {
        bind(family.type()).toProvider(new KernelFamilyProvider<>(family)).in(Singleton.class);
    }

    /** Chooses a family's implementation once the core's kernels are known. */
    private static final class KernelFamilyProvider<T> implements Provider<T> {
        private final KernelFamily<T> family;
        @Inject
        private Kernels kernels;

        KernelFamilyProvider(KernelFamily<T> family) {
            this.family = family;
        }

        @Override
        public T get() {
            return family.select(kernels);
        }
    }

    /** Registers a learning-rate schedule type. */
    protected final void schedule(Class<? extends ScheduleFactory> factory) {
        schedules.addBinding().to(factory);
    }
}
