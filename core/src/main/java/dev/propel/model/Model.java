package dev.propel.model;

import dev.propel.kernel.Kernels;
import dev.propel.spi.Layer;
import dev.propel.spi.Loss;
import dev.propel.spi.PropelException;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A graph of layers (a plain stack being the common case) with a loss. Holds the parameters and the
 * layers' state; passes keep their working memory in a {@link ModelSession}, so {@link #predict} may be
 * called from many threads at once (as long as no training updates the model at the same time).
 */
public final class Model {
    /** Rows {@link #predict} and {@link #predictClasses} run at once; a larger batch runs in chunks of this many. */
    public static final int PREDICT_ROWS = 256;

    private final ModelSpec spec;
    private final Shape inputShape;
    private final ModelGraph graph;
    private final Loss loss;
    private final Kernels kernels;
    private final Map<String, Tensor> parameters;
    private final Map<String, Tensor> state;
    /** How this model was trained so far (set by Trainer.fit and ModelFiles.load), or null. */
    private volatile Provenance training;

    Model(ModelSpec spec, Shape inputShape, ModelGraph graph, Loss loss, Kernels kernels) {
        this.spec = spec;
        this.inputShape = inputShape;
        this.graph = graph;
        this.loss = loss;
        this.kernels = kernels;
        this.parameters = byFullName(graph.layers(), Layer::parameters);
        this.state = byFullName(graph.layers(), Layer::state);
    }

    private static Map<String, Tensor> byFullName(List<Layer> layers, Function<Layer, Map<String, Tensor>> tensors) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (Layer layer : layers) {
            tensors.apply(layer).forEach((local, t) -> all.put(layer.name() + "." + local, t));
        }
        return Collections.unmodifiableMap(all);
    }

    /** The spec the model was built from, as given (defaults not filled in). */
    public ModelSpec spec() {
        return spec;
    }

    /** The layers in execution order (for a plain stack, the spec's order); the last one is the output. */
    public List<Layer> layers() {
        return graph.layers();
    }

    /** Which layer reads which, in execution order. */
    public ModelGraph graph() {
        return graph;
    }

    /** The loss the model trains with. */
    public Loss loss() {
        return loss;
    }

    /** The kernels the model computes with (its registry's). */
    public Kernels kernels() {
        return kernels;
    }

    /** The per-sample input shape; inputs must have exactly this shape after the batch dimension. */
    public Shape inputShape() {
        return inputShape;
    }

    /** The per-sample shape of the output, e.g. {@code [10]} for ten logits. */
    public Shape outputShape() {
        return graph.layers().getLast().outputShape();
    }

    /** Every learnable tensor by full name {@code "<layer>.<parameter>"}, in layer order. Live tensors. */
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    /**
     * Every layer's state tensor (trained by no optimizer, e.g. running statistics) by full name
     * {@code "<layer>.<name>"}, in layer order. Live tensors.
     */
    public Map<String, Tensor> state() {
        return state;
    }

    /**
     * How this model was trained so far: {@link dev.propel.train.Trainer#fit} records every run here (after the
     * record of earlier runs), {@link ModelFiles#load} starts with the file's record; null for a model never
     * trained. {@link SavedModel#builder} saves it unless given another, so a file saved after training says how.
     */
    public Provenance trainingRecord() {
        return training;
    }

    /** Replaces the training record (see {@link #trainingRecord()}); {@code record} may be null. */
    public void recordTraining(Provenance record) {
        this.training = record;
    }

    /** Total number of learnable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : parameters.values()) n += t.size();
        return n;
    }

    /** Copies values into the named parameters; every name must exist with the same shape. */
    public void loadParameters(Map<String, Tensor> values) {
        copyInto(parameters, values, "parameter");
    }

    /** Copies values into the named layer state tensors; every name must exist with the same shape. */
    public void loadState(Map<String, Tensor> values) {
        copyInto(state, values, "state tensor");
    }

    private static void copyInto(Map<String, Tensor> targets, Map<String, Tensor> values, String what) {
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            Tensor target = targets.get(e.getKey());
            if (target == null) {
                throw new PropelException("the model has no " + what + " '" + e.getKey() + "'; its " + what + "s are "
                        + targets.keySet());
            }
            e.getValue().requireShape(target.shape(), what + " '" + e.getKey() + "'");
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
     * Thread-safe. Returns a new tensor. A batch of more than {@value #PREDICT_ROWS} rows runs through one
     * inference session that many rows at a time, so the activations held at once are those of one chunk
     * whatever {@code n} is (a convolutional network keeps megabytes per image). Every output row depends
     * only on its own input row, so the chunks change no result.
     */
    public Tensor predict(Tensor input) {
        ModelSession session = inferenceSession();
        int n = input.rows();
        if (n <= PREDICT_ROWS) return session.forward(input).copy();
        Tensor joined = null;
        for (int start = 0; start < n; start += PREDICT_ROWS) {
            int count = Math.min(PREDICT_ROWS, n - start);
            Tensor out = session.forward(input.slice(0, start, count));
            if (joined == null) joined = Tensor.zeros(out.shape().withoutBatch().withBatch(n));
            joined.slice(0, start, count).copyFrom(out);
        }
        return joined;
    }

    /** The index of the largest output of each row (the predicted class); {@link #predict} a chunk at a time. Thread-safe. */
    public int[] predictClasses(Tensor input) {
        ModelSession session = inferenceSession();
        int n = input.rows();
        int[] classes = new int[n];
        int[] chunkClasses = new int[Math.min(n, PREDICT_ROWS)];
        for (int start = 0; start < n; start += PREDICT_ROWS) {
            int count = Math.min(PREDICT_ROWS, n - start);
            Tensor out = session.forward(n <= PREDICT_ROWS ? input : input.slice(0, start, count));
            kernels.argmaxRows(out.data(), out.rows(), out.rowSize(), chunkClasses);
            System.arraycopy(chunkClasses, 0, classes, start, count);
        }
        return classes;
    }

    /**
     * Refuses input whose per-sample shape is not the model's input shape: layout is explicit (image data
     * is NCHW), so {@code [n, 784]} does not silently become {@code [n, 1, 28, 28]}; reshape the data.
     */
    void requireInputShape(Tensor input) {
        Shape expected = inputShape();
        if (input.shape().rank() < 1) {
            throw new ShapeException("model input must have a batch dimension followed by " + expected + " but got " + input.shape());
        }
        if (matchesPerSample(input.shape(), expected)) return;
        Shape perSample = input.shape().withoutBatch();
        throw new ShapeException("model input: expected [batch, " + expected.toString().substring(1) + " but got "
                + input.shape() + (perSample.size() == expected.size()
                ? "; the element counts agree, but Propel does not guess layouts: reshape the data to the model's input shape"
                + " (e.g. Dataset.withFeatureShape), or declare the input as " + perSample
                : " (per sample " + perSample.size() + " values instead of " + expected.size() + ")"));
    }

    /** Whether {@code shape} is {@code [batch, expected...]}, compared in place: a forward pass allocates no shape. */
    private static boolean matchesPerSample(Shape shape, Shape expected) {
        if (shape.rank() != expected.rank() + 1) return false;
        for (int d = 0; d < expected.rank(); d++) {
            if (shape.dim(d + 1) != expected.dim(d)) return false;
        }
        return true;
    }
}
