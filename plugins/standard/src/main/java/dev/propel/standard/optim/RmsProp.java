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
 * RMSprop in PyTorch's form (no momentum, not centered):
 * <pre>
 *   g' = g + wd·w
 *   s  = α·s + (1 − α)·g'²              (slot "square_avg", starts at 0)
 *   w ← w − lr·g' / (√s + ε)
 * </pre>
 * Attributes (PyTorch's defaults): {@code learning_rate} (0.01), {@code alpha} (0.99),
 * {@code eps} (1e-8), {@code weight_decay} (0).
 */
public final class RmsProp extends StatefulOptimizer {
    /** The type id: RMSProp, the rate divided by the root of a moving average of squared gradients. */
    public static final String TYPE = "rmsprop";

    private final float alpha;
    private final float eps;
    private final float weightDecay;

    RmsProp(Attributes attributes, OptimizerKernels kernels) {
        super(TYPE, attributes, List.of("square_avg"), kernels);
        this.alpha = attributes.getFloat("alpha");
        this.eps = attributes.getFloat("eps");
        this.weightDecay = attributes.getFloat("weight_decay");
    }

    @Override
    protected void update(OptimizerKernels k, float[] w, float[] g, Tensor[] slots, int from, int to, float lr, long t) {
        k.rmsprop(w, g, slots[0].data(), from, to, lr, alpha, eps, weightDecay);
    }

    /** Makes {@link RmsProp} optimizers. */
    public static final class Factory implements OptimizerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .positiveFloat("learning_rate", 0.01f, "step size")
                .floatAttr("alpha", 0.99f, 0.0, true, 1.0, false, "decay of the running mean of squared gradients")
                .positiveFloat("eps", 1e-8f, "added to the root mean square to avoid division by zero")
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
            return "RMSprop: s = alpha·s + (1 - alpha)·g²; w -= lr·g / (√s + eps)";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Optimizer create(Attributes attributes) {
            return new RmsProp(attributes, kernels);
        }
    }
}
