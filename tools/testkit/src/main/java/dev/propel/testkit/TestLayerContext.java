package dev.propel.testkit;

import dev.propel.kernel.Kernels;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link LayerContext} for running one {@link Layer} outside a model. Unlike a model's contexts,
 * its seed stays fixed until {@link #seed(long)} changes it (so repeated forward passes draw the same
 * dropout mask), it asks for every input's gradient by default (per input adjustable, as a model
 * does for a layer of which only some inputs lead to parameters), and it counts buffer allocations so
 * a test can check that a layer's steady-state passes allocate no buffers.
 *
 * <pre>{@code
 * TestLayerContext ctx = TestLayerContext.training(layer, kernels);
 * Tensor y = layer.forward(x, ctx);
 * Tensor dx = layer.backward(dy, ctx);
 * Tensor dw = ctx.gradient("weight");
 * }</pre>
 */
public final class TestLayerContext implements LayerContext {
    private final Kernels kernels;
    private final boolean training;
    private final Map<String, Tensor> buffers = new HashMap<>();
    private final Map<String, Tensor> saved = new HashMap<>();
    private final Map<String, Tensor> gradients = new LinkedHashMap<>();
    private long seed = 42;
    /** Per input of the layer, whether its gradient is needed. */
    private final boolean[] needsInputGradient;
    private int allocations;

    private TestLayerContext(Kernels kernels, boolean training, int inputs) {
        this.kernels = kernels;
        this.training = training;
        this.needsInputGradient = new boolean[inputs];
        Arrays.fill(needsInputGradient, true);
    }

    /**
     * A training context for {@code layer}: a zeroed gradient accumulator for each of its parameters,
     * and every input's gradient needed.
     */
    public static TestLayerContext training(Layer layer, Kernels kernels) {
        TestLayerContext ctx = new TestLayerContext(kernels, true, layer.inputShapes().size());
        layer.parameters().forEach((name, p) -> ctx.gradients.put(name, Tensor.zeros(p.shape())));
        return ctx;
    }

    /** An inference context: no saving, no gradients. */
    public static TestLayerContext inference(Kernels kernels) {
        return new TestLayerContext(kernels, false, 1);
    }

    /** Sets the value {@link #seed()} returns (default 42). */
    public TestLayerContext seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Says whether every input's gradient is needed (default true). */
    public TestLayerContext needsInputGradient(boolean needed) {
        Arrays.fill(needsInputGradient, needed);
        return this;
    }

    /** Says whether the gradient of input {@code input} (0-based) is needed (default true). */
    public TestLayerContext needsInputGradient(int input, boolean needed) {
        checkInput(input);
        needsInputGradient[input] = needed;
        return this;
    }

    @Override
    public Kernels kernels() {
        return kernels;
    }

    @Override
    public boolean training() {
        return training;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public Tensor buffer(String key, Shape shape) {
        Tensor t = buffers.get(key);
        if (t != null && t.shape().equals(shape)) return t;
        if (t != null && t.data().length >= shape.size()) {
            t = t.view(shape);
        } else {
            t = Tensor.zeros(shape);
            allocations++;
        }
        buffers.put(key, t);
        return t;
    }

    @Override
    public void save(String key, Tensor tensor) {
        if (!training) {
            throw new IllegalStateException("save('" + key + "') in an inference context: layers save only when training() is true");
        }
        saved.put(key, tensor);
    }

    @Override
    public Tensor saved(String key) {
        Tensor t = saved.get(key);
        if (t == null) {
            throw new IllegalStateException("nothing saved under '" + key + "'; saved keys: " + saved.keySet()
                    + ". Run a training forward pass before backward");
        }
        return t;
    }

    /** True when some input's gradient is needed. */
    @Override
    public boolean needsInputGradient() {
        for (boolean needed : needsInputGradient) if (needed) return true;
        return false;
    }

    @Override
    public boolean needsInputGradient(int input) {
        checkInput(input);
        return needsInputGradient[input];
    }

    private void checkInput(int input) {
        if (input < 0 || input >= needsInputGradient.length) {
            throw new IndexOutOfBoundsException("needsInputGradient(" + input + "): the layer reads "
                    + needsInputGradient.length + " input(s), numbered from 0");
        }
    }

    @Override
    public Tensor gradient(String name) {
        Tensor g = gradients.get(name);
        if (g == null) {
            throw new IllegalStateException(training
                    ? "no parameter named '" + name + "'; the layer's parameters are " + gradients.keySet()
                    : "gradient('" + name + "') in an inference context");
        }
        return g;
    }

    /** What the layer saved with {@link #save} so far, by key (the tensors themselves). */
    public Map<String, Tensor> savedTensors() {
        return Collections.unmodifiableMap(saved);
    }

    /** The gradient accumulators by parameter name (live tensors). */
    public Map<String, Tensor> gradients() {
        return Collections.unmodifiableMap(gradients);
    }

    /** Sets every gradient accumulator to zero, as a model does before each backward pass. */
    public void zeroGradients() {
        for (Tensor g : gradients.values()) kernels.fill(g.data(), g.size(), 0f);
    }

    /** How many buffer arrays {@link #buffer} has allocated so far. */
    public int allocations() {
        return allocations;
    }
}
