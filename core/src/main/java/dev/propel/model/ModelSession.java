package dev.propel.model;

import dev.propel.kernel.Kernels;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The mutable side of running a {@link Model}: one {@link LayerContext} per layer with its buffers,
 * saved activations and gradients, and one output slot per layer. A session belongs to one thread.
 *
 * <p>Forward runs the layers in execution order, each on the outputs of the layers it reads. Backward
 * runs them in reverse, only where something upstream has parameters, and sums the gradients that flow
 * into a layer read by several others (fan-out) in a buffer of the session's, in reverse execution
 * order (so the sum is the same every time). A layer read by exactly one edge gets the reader's
 * gradient tensor as it is, with no copy, which keeps a plain stack exactly as cheap as before.
 */
public final class ModelSession {
    private final Model model;
    private final ModelGraph graph;
    private final boolean training;
    private final List<SessionLayerContext> contexts = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    /** Each layer's output of the current step. */
    private final Tensor[] outputs;
    /** Per layer with several inputs, a list view over {@link #inputArrays} that forward reuses. */
    private final List<List<Tensor>> inputLists = new ArrayList<>();
    private final Tensor[][] inputArrays;
    /** ∂L/∂output of each layer during backward: a reader's gradient, or the fan-out sum. */
    private final Tensor[] gradients;
    private final int[] gradientsReceived;
    private final Tensor[] fanOutSums;
    private long step;
    private LayerObserver observer;

    ModelSession(Model model, boolean training, long seed) {
        this.model = model;
        this.graph = model.graph();
        this.training = training;
        int n = graph.size();
        this.outputs = new Tensor[n];
        this.inputArrays = new Tensor[n][];
        this.gradients = new Tensor[n];
        this.gradientsReceived = new int[n];
        this.fanOutSums = new Tensor[n];
        for (int i = 0; i < n; i++) {
            Layer layer = graph.layers().get(i);
            boolean[] needsInputGradient = new boolean[graph.inputCount(i)];
            for (int k = 0; k < needsInputGradient.length; k++) needsInputGradient[k] = graph.needsInputGradient(i, k);
            SessionLayerContext ctx = new SessionLayerContext(model.kernels(), training, seed, i, needsInputGradient,
                    layer.parameters());
            contexts.add(ctx);
            inputArrays[i] = new Tensor[needsInputGradient.length];
            inputLists.add(Arrays.asList(inputArrays[i]));
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

    /** The model this session runs. */
    public Model model() {
        return model;
    }

    /** Shows every layer's tensors of the following passes to {@code observer} (null: to nobody). */
    public void observe(LayerObserver observer) {
        this.observer = observer;
    }

    /** Runs the layers in execution order and returns the output layer's output; in a training session, advances the step. */
    public Tensor forward(Tensor input) {
        model.requireInputShape(input);
        input = input.contiguous(); // layers read dense tensors; a view given as input is copied once
        step++;
        List<Layer> layers = graph.layers();
        for (int i = 0; i < layers.size(); i++) {
            SessionLayerContext ctx = contexts.get(i);
            ctx.beginStep(step);
            Tensor[] in = inputArrays[i];
            for (int k = 0; k < in.length; k++) {
                int s = graph.source(i, k);
                in[k] = s == ModelGraph.MODEL_INPUT ? input : outputs[s];
            }
            outputs[i] = in.length == 1 ? layers.get(i).forward(in[0], ctx) : layers.get(i).forward(inputLists.get(i), ctx);
            if (observer != null) observer.onForward(i, layers.get(i), in[0], outputs[i]);
        }
        return outputs[layers.size() - 1];
    }

    /** The output of the layer at execution index {@code node} in the last forward pass. */
    public Tensor output(int node) {
        return outputs[node];
    }

    /**
     * Back-propagates ∂L/∂output through the layers (after a training {@link #forward}), adding
     * into the gradients. Call {@link #zeroGradients()} first unless accumulating on purpose.
     */
    public void backward(Tensor gradOutput) {
        if (!training) {
            throw new IllegalStateException("backward needs a training session (Model.trainingSession)");
        }
        List<Layer> layers = graph.layers();
        int last = layers.size() - 1;
        Arrays.fill(gradients, null);
        Arrays.fill(gradientsReceived, 0);
        gradients[last] = gradOutput;
        for (int i = last; i >= 0; i--) {
            if (!graph.needsGradient(i) || gradients[i] == null) continue;
            Layer layer = layers.get(i);
            SessionLayerContext ctx = contexts.get(i);
            Tensor first;
            if (graph.inputCount(i) == 1) {
                first = layer.backward(gradients[i], ctx);
                if (ctx.needsInputGradient(0)) receive(graph.source(i, 0), first, layer, 0);
            } else {
                List<Tensor> g = layer.backwardInputs(gradients[i], ctx);
                first = g.getFirst();
                for (int k = 0; k < graph.inputCount(i); k++) {
                    if (ctx.needsInputGradient(k)) receive(graph.source(i, k), g.get(k), layer, k);
                }
            }
            if (observer != null) observer.onBackward(i, layer, gradients[i], first, ctx);
        }
    }

    /** Takes ∂L/∂output of node {@code node} from one of its readers: as it is, or added to the fan-out sum. */
    private void receive(int node, Tensor gradient, Layer reader, int input) {
        if (gradient == null) {
            throw new IllegalStateException("layer '" + reader.name() + "' (" + reader.typeId() + ") returned no gradient for its input "
                    + input + " although ctx.needsInputGradient(" + input + ") is true");
        }
        if (graph.gradientContributions(node) == 1) {
            gradients[node] = gradient;
            return;
        }
        Kernels k = model.kernels();
        Tensor sum = fanOutSum(node, gradient);
        if (gradientsReceived[node]++ == 0) {
            sum.copyFrom(gradient);
        } else {
            k.add(sum.data(), gradient.data(), sum.data(), sum.size());
        }
        gradients[node] = sum;
    }

    private Tensor fanOutSum(int node, Tensor like) {
        Tensor t = fanOutSums[node];
        if (t == null || t.data().length < like.size()) {
            t = Tensor.zeros(like.shape());
        } else if (!t.shape().equals(like.shape())) {
            t = t.view(like.shape());
        }
        fanOutSums[node] = t;
        return t;
    }

    /** Sets every parameter gradient to zero before a new batch's backward pass. */
    public void zeroGradients() {
        for (int i = 0; i < parameters.size(); i++) { // indexed: no iterator per step before C2 compiles this
            Tensor g = parameters.get(i).gradient();
            model.kernels().fill(g.data(), g.size(), 0f);
        }
    }

    /**
     * Bytes of the layers' working buffers (each layer's output and input gradient, masks) and of the
     * fan-out sums: the activation memory of a pass, which grows with the batch size and with every layer added.
     */
    public long bufferBytes() {
        long b = 0;
        for (SessionLayerContext ctx : contexts) b += ctx.bufferBytes();
        for (Tensor t : fanOutSums) if (t != null) b += 4L * t.data().length;
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
