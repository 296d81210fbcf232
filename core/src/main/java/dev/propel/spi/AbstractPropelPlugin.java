package dev.propel.spi;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;

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

    protected final void layer(Class<? extends LayerFactory> factory) {
        layers.addBinding().to(factory);
    }

    protected final void loss(Class<? extends LossFactory> factory) {
        losses.addBinding().to(factory);
    }

    protected final void optimizer(Class<? extends OptimizerFactory> factory) {
        optimizers.addBinding().to(factory);
    }

    /** Registers a learning-rate schedule type. */
    protected final void schedule(Class<? extends ScheduleFactory> factory) {
        schedules.addBinding().to(factory);
    }
}
