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
 * Adagrad (PyTorch's {@code Adagrad} with no learning-rate decay and a zero initial accumulator):
 * <pre>
 *   g' = g + wd·w
 *   s  = s + g'²                         (slot "sum_squares", starts at 0)
 *   w ← w − lr·g' / (√s + ε)
 * </pre>
 * Attributes: {@code learning_rate} (0.01), {@code eps} (1e-10), {@code weight_decay} (0).
 */
public final class Adagrad extends StatefulOptimizer {
    /** The type id: Adagrad, {@code s += g²; w -= lr·g / (√s + eps)}. */
    public static final String TYPE = "adagrad";

    private final float eps;
    private final float weightDecay;

    Adagrad(Attributes attributes, OptimizerKernels kernels) {
        super(TYPE, attributes, List.of("sum_squares"), kernels);
        this.eps = attributes.getFloat("eps");
        this.weightDecay = attributes.getFloat("weight_decay");
    }

    @Override
    protected void update(OptimizerKernels k, float[] w, float[] g, Tensor[] slots, int from, int to, float lr, long t) {
        k.adagrad(w, g, slots[0].data(), from, to, lr, eps, weightDecay);
    }

    /** Makes {@link Adagrad} optimizers. */
    public static final class Factory implements OptimizerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .positiveFloat("learning_rate", 0.01f, "step size")
                .positiveFloat("eps", 1e-10f, "added to the root of the sum to avoid division by zero")
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
            return "Adagrad: s += g²; w -= lr·g / (√s + eps)";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Optimizer create(Attributes attributes) {
            return new Adagrad(attributes, kernels);
        }
    }
}
