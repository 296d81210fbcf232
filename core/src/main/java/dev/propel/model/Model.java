package dev.propel.model;

import dev.propel.kernel.Kernels;
import dev.propel.spi.Layer;
import dev.propel.spi.Loss;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sequential stack of layers with a loss. Holds the parameters; passes keep their state in a
 * {@link ModelSession}, so {@link #predict} may be called from many threads at once (as long as no
 * training updates the parameters at the same time).
 */
public final class Model {
    private final ModelSpec spec;
    private final List<Layer> layers;
    private final Loss loss;
    private final Kernels kernels;
    private final Map<String, Tensor> parameters;

    Model(ModelSpec spec, List<Layer> layers, Loss loss, Kernels kernels) {
        this.spec = spec;
        this.layers = List.copyOf(layers);
        this.loss = loss;
        this.kernels = kernels;
        Map<String, Tensor> p = new LinkedHashMap<>();
        for (Layer layer : layers) {
            layer.parameters().forEach((local, t) -> p.put(layer.name() + "." + local, t));
        }
        this.parameters = Collections.unmodifiableMap(p);
    }

    public ModelSpec spec() {
        return spec;
    }

    public List<Layer> layers() {
        return layers;
    }

    public Loss loss() {
        return loss;
    }

    public Kernels kernels() {
        return kernels;
    }

    public Shape inputShape() {
        return layers.getFirst().inputShape();
    }

    public Shape outputShape() {
        return layers.getLast().outputShape();
    }

    /** Every learnable tensor by full name {@code "<layer>.<parameter>"}, in layer order. Live tensors. */
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    /** Total number of learnable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : parameters.values()) n += t.size();
        return n;
    }

    /** Copies values into the named parameters; every name must exist with the same shape. */
    public void loadParameters(Map<String, Tensor> values) {
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            Tensor target = parameters.get(e.getKey());
            if (target == null) {
                throw new IllegalArgumentException("the model has no parameter '" + e.getKey() + "'; its parameters are "
                        + parameters.keySet());
            }
            e.getValue().requireShape(target.shape(), "parameter '" + e.getKey() + "'");
            target.copyFrom(e.getValue());
        }
    }

    /** A session for training passes: contexts, buffers and gradients, reused step after step. */
    public ModelSession trainingSession(long seed) {
        return new ModelSession(this, true, seed);
    }

    /** A session for inference passes, reusable by one thread for many calls. */
    public ModelSession inferenceSession() {
        return new ModelSession(this, false, 0);
    }

    /**
     * The model's raw outputs (e.g. logits for a cross-entropy model) for a batch {@code [n, input...]}.
     * Thread-safe. Returns a new tensor.
     */
    public Tensor predict(Tensor input) {
        return inferenceSession().forward(input).copy();
    }

    /** The index of the largest output of each row (the predicted class). Thread-safe. */
    public int[] predictClasses(Tensor input) {
        Tensor out = inferenceSession().forward(input);
        int[] classes = new int[out.rows()];
        kernels.argmaxRows(out.data(), out.rows(), out.rowSize(), classes);
        return classes;
    }

    /** The input seen with the model's per-sample shape (same element count), or a clear error. */
    Tensor conformInput(Tensor input) {
        Shape expected = inputShape();
        if (input.shape().rank() < 1) {
            throw new ShapeException("model input must have a batch dimension followed by " + expected + " but got " + input.shape());
        }
        Shape perSample = input.shape().withoutBatch();
        if (perSample.equals(expected)) return input;
        if (perSample.size() == expected.size()) return input.view(expected.withBatch(input.rows()));
        throw new ShapeException("model input: expected [batch, " + expected.toString().substring(1) + " but got "
                + input.shape() + " (per sample " + perSample.size() + " values instead of " + expected.size() + ")");
    }
}
