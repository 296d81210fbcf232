package com.example.propel;

import dev.propel.kernel.Kernels;
import dev.propel.spi.Attributes;
import dev.propel.spi.Optimizer;
import dev.propel.spi.Parameter;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Qhm} and {@link Lion} share: an optimizer that keeps one state tensor per parameter (a
 * momentum), zero-filled the first time the parameter is stepped, shown by {@link #state()} as
 * {@code "<parameter>/<slot>"} and restored by {@link #loadState} from copies. {@link #step} checks the
 * learning rate and every parameter before changing anything, then calls {@link #update} per parameter.
 */
abstract class OneSlotOptimizer implements Optimizer {
    private final String typeId;
    private final String slot;
    private final Attributes attributes;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private long steps;

    OneSlotOptimizer(String typeId, String slot, Attributes attributes) {
        this.typeId = typeId;
        this.slot = slot;
        this.attributes = attributes;
    }

    /**
     * One step on one parameter: {@code w} (updated in place), its gradient {@code g}, its state tensor
     * {@code s} (updated in place), {@code n} values, at learning rate {@code lr}.
     */
    protected abstract void update(float[] w, float[] g, float[] s, int n, float lr, Kernels k);

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

    @Override
    public final long stepCount() {
        return steps;
    }

    @Override
    public final void step(List<Parameter> parameters, float learningRate, Kernels k) {
        if (!(learningRate >= 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException(this + ": the learning rate must be a finite number >= 0 but got "
                    + learningRate + "; check the learning-rate schedule");
        }
        Tensor[] state = new Tensor[parameters.size()];
        for (int i = 0; i < state.length; i++) state[i] = stateOf(parameters.get(i));
        steps++;
        for (int i = 0; i < state.length; i++) {
            Parameter p = parameters.get(i);
            update(p.value().data(), p.gradient().data(), state[i].data(), p.value().size(), learningRate, k);
        }
    }

    private Tensor stateOf(Parameter p) {
        if (p.gradient().size() != p.value().size()) {
            throw new ShapeException(this + ": parameter '" + p.name() + "' has shape " + p.value().shape()
                    + " but its gradient has shape " + p.gradient().shape());
        }
        Tensor t = tensors.get(p.name());
        if (t == null) {
            t = Tensor.zeros(p.value().shape());
            tensors.put(p.name(), t);
        } else if (!t.shape().equals(p.value().shape())) {
            throw new ShapeException(this + ": state '" + p.name() + "/" + slot + "' has shape " + t.shape()
                    + " but parameter '" + p.name() + "' has shape " + p.value().shape()
                    + "; the optimizer state was saved for a different model");
        }
        return t;
    }

    /** The live state tensors by {@code "<parameter>/<slot>"}. */
    @Override
    public final Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((param, t) -> out.put(param + "/" + slot, t));
        return Collections.unmodifiableMap(out);
    }

    /** Replaces the state with copies of {@code saved}; shapes are checked at the next step. */
    @Override
    public final void loadState(Map<String, Tensor> saved, long stepCount) {
        if (stepCount < 0) {
            throw new IllegalArgumentException(this + ": the step count must be >= 0 but got " + stepCount);
        }
        String suffix = "/" + slot;
        Map<String, Tensor> loaded = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            if (!e.getKey().endsWith(suffix) || e.getKey().length() == suffix.length()) {
                unexpected.add(e.getKey());
            } else {
                loaded.put(e.getKey().substring(0, e.getKey().length() - suffix.length()), e.getValue().copy());
            }
        }
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException(this + ": unexpected state entries " + unexpected + "; " + typeId
                    + " keeps one entry per parameter named '<parameter>" + suffix + "'");
        }
        tensors.clear();
        tensors.putAll(loaded);
        steps = stepCount;
    }

    @Override
    public String toString() {
        return "optimizer '" + typeId + "'";
    }
}
