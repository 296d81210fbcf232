package dev.propel.standard.optim;

import com.google.inject.Inject;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Optimizer;
import dev.propel.spi.OptimizerFactory;
import dev.propel.standard.kernel.OptimizerKernels;
import dev.propel.tensor.Tensor;

import java.util.List;

/**
 * Plain stochastic gradient descent with coupled L2 weight decay (PyTorch's {@code SGD} without
 * momentum): {@code w ← w − lr·(g + wd·w)}. Keeps no state. Attributes: {@code learning_rate}
 * (default 0.01), {@code weight_decay} (default 0).
 */
public final class Sgd extends StatefulOptimizer {
    /** The type id: plain stochastic gradient descent, {@code w -= lr·g}. */
    public static final String TYPE = "sgd";

    private final float weightDecay;

    Sgd(Attributes attributes, OptimizerKernels kernels) {
        super(TYPE, attributes, List.of(), kernels);
        this.weightDecay = attributes.getFloat("weight_decay");
    }

    @Override
    protected void update(OptimizerKernels k, float[] w, float[] g, Tensor[] slots, int from, int to, float lr, long t) {
        k.sgd(w, g, from, to, lr, weightDecay);
    }

    /** Makes {@link Sgd} optimizers. */
    public static final class Factory implements OptimizerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .positiveFloat("learning_rate", 0.01f, "step size")
                .nonNegativeFloat("weight_decay", 0f, "L2 penalty added to the gradient: g + weight_decay·w")
                .build();

        private final OptimizerKernels kernels;

        /** Created by Guice with the plugin's optimizer kernels. */
        @Inject
        public Factory(OptimizerKernels kernels) {
            this.kernels = kernels;
        }

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "stochastic gradient descent: w -= lr·(g + weight_decay·w)";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Optimizer create(Attributes attributes) {
            return new Sgd(attributes, kernels);
        }
    }
}
