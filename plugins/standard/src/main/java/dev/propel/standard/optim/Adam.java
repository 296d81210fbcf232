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
 * Adam and AdamW, as PyTorch's {@code Adam} and {@code AdamW} (no amsgrad). At step t (from 1):
 * <pre>
 *   adam  (coupled L2):      g' = g + wd·w
 *   adamw (decoupled decay): w ← w·(1 − lr·wd),  g' = g
 *   m = β1·m + (1 − β1)·g'                         (slot "m", starts at 0)
 *   v = β2·v + (1 − β2)·g'²                        (slot "v", starts at 0)
 *   w ← w − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 * The step number t is the optimizer's step count, shared by all parameters. Attributes:
 * {@code learning_rate} (1e-3), {@code beta1} (0.9), {@code beta2} (0.999), {@code eps} (1e-8),
 * {@code weight_decay} (0 for adam, 0.01 for adamw).
 */
public final class Adam extends StatefulOptimizer {
    /** The type id: Adam with L2 weight decay added to the gradient. */
    public static final String TYPE = "adam";
    /** The type id: AdamW, with weight decay decoupled from the gradient. */
    public static final String TYPE_W = "adamw";

    private final boolean decoupled;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;

    Adam(String typeId, Attributes attributes, boolean decoupled, OptimizerKernels kernels) {
        super(typeId, attributes, List.of("m", "v"), kernels);
        this.decoupled = decoupled;
        this.beta1 = attributes.getFloat("beta1");
        this.beta2 = attributes.getFloat("beta2");
        this.eps = attributes.getFloat("eps");
        this.weightDecay = attributes.getFloat("weight_decay");
    }

    @Override
    protected void update(OptimizerKernels k, float[] w, float[] g, Tensor[] slots, int from, int to, float lr, long t) {
        float bc1 = (float) (1.0 - Math.pow(beta1, t));
        float bc2 = (float) (1.0 - Math.pow(beta2, t));
        k.adam(w, g, slots[0].data(), slots[1].data(), from, to, lr, beta1, beta2, eps, weightDecay, decoupled, bc1, bc2);
    }

    private static AttributeSchema adamSchema(float weightDecay, String decayDescription) {
        return AttributeSchema.builder()
                .positiveFloat("learning_rate", 1e-3f, "step size")
                .floatAttr("beta1", 0.9f, 0.0, true, 1.0, false, "decay of the first-moment estimate m")
                .floatAttr("beta2", 0.999f, 0.0, true, 1.0, false, "decay of the second-moment estimate v")
                .positiveFloat("eps", 1e-8f, "added to the denominator to avoid division by zero")
                .nonNegativeFloat("weight_decay", weightDecay, decayDescription)
                .build();
    }

    /** Makes {@code adam} optimizers (L2 penalty coupled into the gradient). */
    public static final class AdamFactory implements OptimizerFactory {
        private static final AttributeSchema SCHEMA = adamSchema(0f, "L2 penalty added to the gradient: g + weight_decay·w");

        private final OptimizerKernels kernels;

        /** Created by Guice with the plugin's optimizer kernels. */
        @Inject
        public AdamFactory(OptimizerKernels kernels) {
            this.kernels = kernels;
        }

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "Adam with bias correction; weight_decay is an L2 term in the gradient";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Optimizer create(Attributes attributes) {
            return new Adam(TYPE, attributes, false, kernels);
        }
    }

    /** Makes {@code adamw} optimizers (decoupled weight decay). */
    public static final class AdamWFactory implements OptimizerFactory {
        private static final AttributeSchema SCHEMA = adamSchema(0.01f, "decoupled decay: w ·= 1 - lr·weight_decay each step");

        private final OptimizerKernels kernels;

        /** Created by Guice with the plugin's optimizer kernels. */
        @Inject
        public AdamWFactory(OptimizerKernels kernels) {
            this.kernels = kernels;
        }

        @Override
        public String typeId() {
            return TYPE_W;
        }

        @Override
        public String description() {
            return "AdamW: Adam with decoupled weight decay w ·= 1 - lr·weight_decay";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Optimizer create(Attributes attributes) {
            return new Adam(TYPE_W, attributes, true, kernels);
        }
    }
}
