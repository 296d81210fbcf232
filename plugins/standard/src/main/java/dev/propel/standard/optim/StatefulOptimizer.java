package dev.propel.standard.optim;

import dev.propel.kernel.Kernels;
import dev.propel.kernel.RangeTask;
import dev.propel.spi.Attributes;
import dev.propel.spi.Optimizer;
import dev.propel.spi.Parameter;
import dev.propel.spi.PropelException;
import dev.propel.standard.kernel.OptimizerKernels;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Common part of the standard optimizers: the step counter and the per-parameter state. Each
 * optimizer declares its state <em>slots</em> (e.g. {@code m} and {@code v} for Adam); a parameter
 * gets one zero-filled tensor of its own shape per slot the first time it is stepped. The state is
 * exposed as {@code "<parameter>/<slot>"}, e.g. {@code "dense_0.weight/m"}.
 *
 * <p>The update rules are the plugin's {@link OptimizerKernels}. A parameter of at least
 * {@link #PARALLEL_MIN} values is updated by all kernel threads ({@link Kernels#parallelRanges}); each
 * element is computed alone, so the result does not depend on the number of threads.
 */
public abstract class StatefulOptimizer implements Optimizer {
    /**
     * Values from which a parameter's update is split over the kernel threads. An update is a memory-bound
     * pass over three to five arrays; splitting large ones made MLP training 8-14 % faster, while for
     * smaller ones handing the work over costs more than it saves.
     */
    public static final int PARALLEL_MIN = 1 << 16;

    private final String typeId;
    private final Attributes attributes;
    private final List<String> slots;
    private final OptimizerKernels optimizerKernels;
    private final Map<String, Tensor[]> state = new LinkedHashMap<>();
    private long steps;

    // The update in progress, read by updateRange, on the kernel threads too. The task object is made
    // once per optimizer, so a training step allocates nothing.
    private final RangeTask rangeUpdate = this::updateRange;
    private float[] currentW;
    private float[] currentG;
    private Tensor[] currentSlots;
    private float currentLr;

    /**
     * An optimizer of type {@code typeId} keeping one state tensor per parameter for each name in {@code slots} (e.g.
     * {@code m} and {@code v} for Adam), updated by {@code optimizerKernels}.
     */
    protected StatefulOptimizer(String typeId, Attributes attributes, List<String> slots, OptimizerKernels optimizerKernels) {
        this.typeId = typeId;
        this.attributes = attributes;
        this.slots = List.copyOf(slots);
        this.optimizerKernels = optimizerKernels;
    }

    @Override
    public final String typeId() {
        return typeId;
    }

    @Override
    public final Attributes attributes() {
        return attributes;
    }

    @Override
    public final float learningRate() {
        return attributes.getFloat("learning_rate");
    }

    /** The names of the state tensors kept per parameter, e.g. {@code [m, v]}. */
    public final List<String> slots() {
        return slots;
    }

    @Override
    public final long stepCount() {
        return steps;
    }

    /**
     * Checks every parameter (and finds or allocates its state) before changing anything, then
     * increments the step count and updates each parameter with {@link #update}.
     */
    @Override
    public final void step(List<Parameter> parameters, float learningRate, Kernels kernels) {
        if (!(learningRate >= 0f) || Float.isInfinite(learningRate)) {
            throw new PropelException(this + ": the learning rate must be a finite number >= 0 but got "
                    + learningRate + "; check the learning-rate schedule");
        }
        // Indexed loops: a training step allocates nothing, not even an iterator.
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            if (p.gradient().size() != p.value().size()) {
                throw new ShapeException(this + ": parameter '" + p.name() + "' has shape " + p.value().shape()
                        + " but its gradient has shape " + p.gradient().shape());
            }
            stateOf(p);
        }
        steps++;
        currentLr = learningRate;
        try {
            for (int i = 0; i < parameters.size(); i++) {
                Parameter p = parameters.get(i);
                currentW = p.value().data();
                currentG = p.gradient().data();
                currentSlots = state.get(p.name());
                kernels.parallelRanges(p.value().size(), PARALLEL_MIN, rangeUpdate);
            }
        } finally {
            currentW = null; // keep no reference to the model's arrays between steps
            currentG = null;
            currentSlots = null;
        }
    }

    private void updateRange(int from, int to) {
        update(optimizerKernels, currentW, currentG, currentSlots, from, to, currentLr, steps);
    }

    /**
     * Applies one update to the values {@code [from, to)} of {@code w} given their gradient {@code g} and
     * the parameter's state tensors (in {@link #slots()} order), with the optimizer's kernels {@code k}.
     * {@code t} is the step number, from 1. May run on several threads at once, each on its own range.
     */
    protected abstract void update(OptimizerKernels k, float[] w, float[] g, Tensor[] slots, int from, int to, float lr,
                                   long t);

    private Tensor[] stateOf(Parameter p) {
        Tensor[] s = state.get(p.name());
        if (s == null) {
            s = new Tensor[slots.size()];
            for (int i = 0; i < s.length; i++) s[i] = Tensor.zeros(p.value().shape());
            state.put(p.name(), s);
            return s;
        }
        for (int i = 0; i < s.length; i++) {
            if (!s[i].shape().equals(p.value().shape())) {
                throw new ShapeException(this + ": state '" + p.name() + "/" + slots.get(i) + "' has shape " + s[i].shape()
                        + " but parameter '" + p.name() + "' has shape " + p.value().shape()
                        + "; the optimizer state was saved for a different model");
            }
        }
        return s;
    }

    /** The live state tensors by {@code "<parameter>/<slot>"}, in the order parameters were first stepped. */
    @Override
    public final Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((param, tensors) -> {
            for (int i = 0; i < tensors.length; i++) out.put(param + "/" + slots.get(i), tensors[i]);
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * Replaces the state with copies of {@code saved} and sets the step count. Every key must be
     * {@code "<parameter>/<slot>"} with one of this optimizer's slots, and each parameter must have all
     * of its slots. Shapes are checked against the parameters at the next {@link #step}.
     */
    @Override
    public final void loadState(Map<String, Tensor> saved, long stepCount) {
        if (stepCount < 0) {
            throw new PropelException(this + ": the step count must be >= 0 but got " + stepCount);
        }
        Map<String, Tensor[]> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            String key = e.getKey();
            int slash = key.lastIndexOf('/');
            int slot = slash < 0 ? -1 : slots.indexOf(key.substring(slash + 1));
            if (slot < 0 || slash == 0) {
                throw new PropelException(this + ": unexpected state entry '" + key + "'; "
                        + (slots.isEmpty() ? typeId + " keeps no state"
                        : "entries are named '<parameter>/<slot>' with slot one of " + slots));
            }
            loaded.computeIfAbsent(key.substring(0, slash), p -> new Tensor[slots.size()])[slot] = e.getValue().copy();
        }
        for (Map.Entry<String, Tensor[]> e : loaded.entrySet()) {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < slots.size(); i++) if (e.getValue()[i] == null) missing.add(slots.get(i));
            if (!missing.isEmpty()) {
                throw new PropelException(this + ": the state of parameter '" + e.getKey() + "' lacks "
                        + missing + "; " + typeId + " keeps " + slots + " for every parameter");
            }
        }
        state.clear();
        state.putAll(loaded);
        steps = stepCount;
    }

    @Override
    public String toString() {
        return "optimizer '" + typeId + "'";
    }
}
