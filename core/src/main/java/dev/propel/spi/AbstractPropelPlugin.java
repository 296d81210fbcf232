package dev.propel.spi;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;

/**
 * Convenience base for plugins: implement {@link #configurePlugin()} and call {@link #layer},
 * {@link #loss} and {@link #optimizer} for each type the plugin provides.
 */
public abstract class AbstractPropelPlugin extends AbstractModule implements PropelPlugin {
    private Multibinder<LayerFactory> layers;
    private Multibinder<LossFactory> losses;
    private Multibinder<OptimizerFactory> optimizers;

    @Override
    protected final void configure() {
        layers = Multibinder.newSetBinder(binder(), LayerFactory.class);
        losses = Multibinder.newSetBinder(binder(), LossFactory.class);
        optimizers = Multibinder.newSetBinder(binder(), OptimizerFactory.class);
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
}
