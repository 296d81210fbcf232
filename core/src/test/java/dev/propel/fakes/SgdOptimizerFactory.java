package dev.propel.fakes;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Optimizer;
import dev.propel.spi.OptimizerFactory;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;

import java.util.List;
import java.util.Map;

/** Test optimizer {@code fake_sgd}: {@code w ← w − lr · g}, no state. */
public final class SgdOptimizerFactory implements OptimizerFactory {
    public static final String TYPE = "fake_sgd";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "plain gradient descent (test optimizer)";
    }

    @Override
    public AttributeSchema schema() {
        return AttributeSchema.builder().positiveFloat("learning_rate", 0.1f, "step size").build();
    }

    @Override
    public Optimizer create(Attributes attributes) {
        float lr = attributes.getFloat("learning_rate");
        return new Optimizer() {
            private final Map<String, Tensor> scratch = new java.util.HashMap<>();
            private long steps;

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
                return lr;
            }

            @Override
            public void step(List<Parameter> parameters, float learningRate, Kernels kernels) {
                for (Parameter p : parameters) {
                    float[] step = scratch.computeIfAbsent(p.name(), key -> Tensor.zeros(p.value().shape())).data();
                    kernels.scale(learningRate, p.gradient().data(), step, p.value().size());
                    kernels.sub(p.value().data(), step, p.value().data(), p.value().size()); // w −= lr·g
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
                steps = stepCount;
            }
        };
    }
}
