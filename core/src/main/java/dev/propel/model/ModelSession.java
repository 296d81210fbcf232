package dev.propel.model;

import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The mutable side of running a {@link Model}: one {@link LayerContext} per layer with its buffers,
 * saved activations and gradients. A session belongs to one thread.
 */
public final class ModelSession {
    private final Model model;
    private final boolean training;
    private final List<SessionLayerContext> contexts = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private long step;
    private LayerObserver observer;

    ModelSession(Model model, boolean training, long seed) {
        this.model = model;
        this.training = training;
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            SessionLayerContext ctx = new SessionLayerContext(model.kernels(), training, seed, i, i > 0, layer.parameters());
            contexts.add(ctx);
            if (training) { // inference sessions have no gradient accumulators
                layer.parameters().forEach((local, value) ->
                        parameters.add(new Parameter(layer.name() + "." + local, value, ctx.gradient(local))));
            }
        }
    }

    /** Steps run so far (each training forward is one); seeds per-step randomness such as dropout. */
    public long step() {
        return step;
    }

    /** Sets the step counter, to resume a run with the same per-step seeds. */
    public void setStep(long step) {
        this.step = step;
    }

    public Model model() {
        return model;
    }

    /** Shows every layer's tensors of the following passes to {@code observer} (null: to nobody). */
    public void observe(LayerObserver observer) {
        this.observer = observer;
    }

    /** Runs the layers in order; in a training session, advances the step (new dropout masks). */
    public Tensor forward(Tensor input) {
        Tensor x = model.conformInput(input);
        step++;
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            SessionLayerContext ctx = contexts.get(i);
            ctx.beginStep(step);
            Tensor in = x;
            x = layers.get(i).forward(x, ctx);
            if (observer != null) observer.onForward(i, layers.get(i), in, x);
        }
        return x;
    }

    /**
     * Back-propagates ∂L/∂output through the layers (after a training {@link #forward}), adding
     * into the gradients. Call {@link #zeroGradients()} first unless accumulating on purpose.
     */
    public void backward(Tensor gradOutput) {
        if (!training) {
            throw new IllegalStateException("backward needs a training session (Model.trainingSession)");
        }
        List<Layer> layers = model.layers();
        Tensor g = gradOutput;
        for (int i = layers.size() - 1; i >= 0 && g != null; i--) {
            Tensor gradLayerOutput = g;
            g = layers.get(i).backward(g, contexts.get(i));
            if (observer != null) observer.onBackward(i, layers.get(i), gradLayerOutput, g, contexts.get(i));
        }
    }

    public void zeroGradients() {
        for (Parameter p : parameters) {
            model.kernels().fill(p.gradient().data(), p.gradient().size(), 0f);
        }
    }

    /**
     * Bytes of the layers' working buffers (each layer's output and input gradient, masks): the activation
     * memory of a pass, which grows with the batch size and with every layer added.
     */
    public long bufferBytes() {
        long b = 0;
        for (SessionLayerContext ctx : contexts) b += ctx.bufferBytes();
        return b;
    }

    /** The parameters with their gradient accumulators, in model order; empty in an inference session. */
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    /** The layer a parameter's full name belongs to. */
    public String layerOf(String parameterName) {
        int dot = parameterName.lastIndexOf('.');
        return dot < 0 ? parameterName : parameterName.substring(0, dot);
    }
}
