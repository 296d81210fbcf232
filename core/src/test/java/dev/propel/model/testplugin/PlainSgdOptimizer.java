package dev.propel.model.testplugin;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Optimizer;
import dev.propel.spi.OptimizerFactory;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code w −= lr·g}; no state. */
final class PlainSgdOptimizer implements Optimizer {
    private final Attributes attributes;
    private final Map<String, Tensor> scratch = new HashMap<>();
    private long steps;

    private PlainSgdOptimizer(Attributes attributes) {
        this.attributes = attributes;
    }

    @Override
    public String typeId() {
        return "plain_sgd";
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
    public void step(List<Parameter> parameters, float learningRate, Kernels kernels) {
        for (Parameter p : parameters) {
            float[] step = scratch.computeIfAbsent(p.name(), key -> Tensor.zeros(p.value().shape())).data();
            kernels.scale(learningRate, p.gradient().data(), step, p.value().size());
            kernels.sub(p.value().data(), step, p.value().data(), p.value().size());
        }
        steps++;
    }

    @Override
    public long stepCount() {
        return steps;
    }

    @Override
    public Map<String, Tensor> state() {
        return Map.of();
    }

    @Override
    public void loadState(Map<String, Tensor> state, long stepCount) {
        if (!state.isEmpty()) throw new IllegalArgumentException("plain_sgd has no state but got " + state.keySet());
        steps = stepCount;
    }

    /** Registers {@code plain_sgd}. */
    static final class Factory implements OptimizerFactory {
        @Override
        public String typeId() {
            return "plain_sgd";
        }

        @Override
        public String description() {
            return "plain SGD (test plugin)";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.builder().positiveFloat("learning_rate", 0.1f, "step size").build();
        }

        @Override
        public Optimizer create(Attributes attributes) {
            return new PlainSgdOptimizer(attributes);
        }
    }
}
