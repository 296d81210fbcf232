package com.example.propel;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Optimizer;
import dev.propel.spi.OptimizerFactory;
import dev.propel.spi.Parameter;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quasi-hyperbolic momentum (Ma and Yarats, "Quasi-hyperbolic momentum and Adam for deep learning",
 * ICLR 2019): a weighted average of a plain SGD step and a momentum step. Per parameter w with
 * gradient g, at each step:
 * <pre>
 *   g' = g + wd·w                          (coupled L2 weight decay)
 *   b  = β·b + (1 − β)·g'                  (slot "momentum_buffer", starts at 0)
 *   w ← w − lr·((1 − ν)·g' + ν·b)
 * </pre>
 * ν = 0 is plain SGD; ν = 1 is momentum with an exponential moving average. Attributes:
 * {@code learning_rate} (default 0.1), {@code nu} (ν in [0, 1], default 0.7), {@code beta} (β in
 * [0, 1), default 0.999), {@code weight_decay} (default 0); the defaults are the paper's
 * recommendation. State is named {@code "<parameter>/momentum_buffer"}.
 */
public final class Qhm implements Optimizer {
    public static final String TYPE = "qhm";
    static final String SLOT = "momentum_buffer";

    private final Attributes attributes;
    private final float nu;
    private final float beta;
    private final float weightDecay;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private long steps;

    Qhm(Attributes attributes) {
        this.attributes = attributes;
        this.nu = attributes.getFloat("nu");
        this.beta = attributes.getFloat("beta");
        this.weightDecay = attributes.getFloat("weight_decay");
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }

    @Override
    public float learningRate() {
        return attributes.getFloat("learning_rate");
    }

    @Override
    public long stepCount() {
        return steps;
    }

    /** Checks every parameter (and finds or makes its buffer) before changing anything, then updates each. */
    @Override
    public void step(List<Parameter> parameters, float learningRate, Kernels k) {
        if (!(learningRate >= 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException(this + ": the learning rate must be a finite number >= 0 but got "
                    + learningRate + "; check the learning-rate schedule");
        }
        Tensor[] state = new Tensor[parameters.size()];
        for (int i = 0; i < state.length; i++) state[i] = bufferOf(parameters.get(i));
        steps++;
        for (int i = 0; i < state.length; i++) {
            Parameter p = parameters.get(i);
            float[] w = p.value().data();
            float[] g = p.gradient().data();
            float[] b = state[i].data();
            int n = p.value().size();
            k.scale(beta, b, b, n);                                       // b = β·b
            k.axpy(1f - beta, g, b, n);                                   //   + (1 − β)·g
            if (weightDecay != 0f) {
                k.axpy((1f - beta) * weightDecay, w, b, n);               //   + (1 − β)·wd·w
                k.scale(1f - learningRate * (1f - nu) * weightDecay, w, w, n); // w −= lr(1 − ν)·wd·w
            }
            k.axpy(-learningRate * (1f - nu), g, w, n);                   // w −= lr(1 − ν)·g
            k.axpy(-learningRate * nu, b, w, n);                          // w −= lr·ν·b
        }
    }

    private Tensor bufferOf(Parameter p) {
        if (p.gradient().size() != p.value().size()) {
            throw new ShapeException(this + ": parameter '" + p.name() + "' has shape " + p.value().shape()
                    + " but its gradient has shape " + p.gradient().shape());
        }
        Tensor b = buffers.get(p.name());
        if (b == null) {
            b = Tensor.zeros(p.value().shape());
            buffers.put(p.name(), b);
        } else if (!b.shape().equals(p.value().shape())) {
            throw new ShapeException(this + ": state '" + p.name() + "/" + SLOT + "' has shape " + b.shape()
                    + " but parameter '" + p.name() + "' has shape " + p.value().shape()
                    + "; the optimizer state was saved for a different model");
        }
        return b;
    }

    /** The live buffers by {@code "<parameter>/momentum_buffer"}. */
    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        buffers.forEach((param, b) -> out.put(param + "/" + SLOT, b));
        return Collections.unmodifiableMap(out);
    }

    /** Replaces the buffers with copies of {@code saved}; shapes are checked at the next step. */
    @Override
    public void loadState(Map<String, Tensor> saved, long stepCount) {
        if (stepCount < 0) {
            throw new IllegalArgumentException(this + ": the step count must be >= 0 but got " + stepCount);
        }
        Map<String, Tensor> loaded = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            String suffix = "/" + SLOT;
            if (!e.getKey().endsWith(suffix) || e.getKey().length() == suffix.length()) {
                unexpected.add(e.getKey());
            } else {
                loaded.put(e.getKey().substring(0, e.getKey().length() - suffix.length()), e.getValue().copy());
            }
        }
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException(this + ": unexpected state entries " + unexpected
                    + "; qhm keeps one entry per parameter named '<parameter>/" + SLOT + "'");
        }
        buffers.clear();
        buffers.putAll(loaded);
        steps = stepCount;
    }

    @Override
    public String toString() {
        return "optimizer '" + TYPE + "'";
    }

    /** Makes {@link Qhm} optimizers. */
    public static final class Factory implements OptimizerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .positiveFloat("learning_rate", 0.1f, "step size")
                .floatAttr("nu", 0.7f, 0.0, true, 1.0, true, "weight of the momentum step (0: plain SGD, 1: momentum)")
                .floatAttr("beta", 0.999f, 0.0, true, 1.0, false, "decay of the momentum buffer")
                .nonNegativeFloat("weight_decay", 0f, "L2 penalty added to the gradient: g + weight_decay·w")
                .build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "quasi-hyperbolic momentum: w -= lr·((1 - nu)·g + nu·b), b = beta·b + (1 - beta)·g";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Optimizer create(Attributes attributes) {
            return new Qhm(attributes);
        }
    }
}
