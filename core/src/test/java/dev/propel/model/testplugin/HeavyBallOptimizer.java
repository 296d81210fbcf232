package dev.propel.model.testplugin;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Optimizer;
import dev.propel.spi.OptimizerFactory;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Momentum SGD, {@code v = μ·v + g; w −= lr·v}, with a velocity {@code "<parameter>/v"} per parameter. */
final class HeavyBallOptimizer implements Optimizer {
    private final Attributes attributes;
    private final Map<String, Tensor> state = new LinkedHashMap<>();
    private final Map<String, Tensor> scratch = new LinkedHashMap<>();
    private long steps;

    private HeavyBallOptimizer(Attributes attributes) {
        this.attributes = attributes;
    }

    @Override
    public String typeId() {
        return "heavy_ball";
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
            Tensor v = state.computeIfAbsent(p.name() + "/v", k -> Tensor.zeros(p.value().shape()));
            float[] step = scratch.computeIfAbsent(p.name(), k -> Tensor.zeros(p.value().shape())).data();
            int n = p.value().size();
            kernels.scale(attributes.getFloat("momentum"), v.data(), v.data(), n);
            kernels.add(v.data(), p.gradient().data(), v.data(), n);      // v = μ·v + g
            kernels.scale(learningRate, v.data(), step, n);
            kernels.sub(p.value().data(), step, p.value().data(), n);     // w −= lr·v
        }
        steps++;
    }

    @Override
    public long stepCount() {
        return steps;
    }

    @Override
    public Map<String, Tensor> state() {
        return state;
    }

    @Override
    public void loadState(Map<String, Tensor> saved, long stepCount) {
        state.clear();
        saved.forEach((k, v) -> {
            if (!k.endsWith("/v")) throw new IllegalArgumentException("heavy_ball has no state slot '" + k + "'; its slots end in /v");
            state.put(k, v.copy());
        });
        steps = stepCount;
    }

    /** Registers {@code heavy_ball}. */
    static final class Factory implements OptimizerFactory {
        @Override
        public String typeId() {
            return "heavy_ball";
        }

        @Override
        public String description() {
            return "momentum SGD (test plugin)";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.builder()
                    .positiveFloat("learning_rate", 0.05f, "step size")
                    .floatAttr("momentum", 0.9f, 0.0, true, 1.0, false, "velocity decay")
                    .build();
        }

        @Override
        public Optimizer create(Attributes attributes) {
            return new HeavyBallOptimizer(attributes);
        }
    }
}
