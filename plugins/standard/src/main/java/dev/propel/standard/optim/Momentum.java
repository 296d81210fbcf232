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
 * SGD with heavy-ball momentum, as PyTorch's {@code SGD(momentum=μ, nesterov=…)} with no dampening:
 * <pre>
 *   g' = g + wd·w
 *   v  = μ·v + g'                       (slot "velocity", starts at 0, so v₁ = g')
 *   w ← w − lr·v                        (nesterov = false)
 *   w ← w − lr·(g' + μ·v)               (nesterov = true)
 * </pre>
 * Attributes: {@code learning_rate} (0.01), {@code momentum} (0.9, in [0, 1)), {@code nesterov}
 * (false), {@code weight_decay} (0).
 */
public final class Momentum extends StatefulOptimizer {
    /** The type id: SGD with (optionally Nesterov) momentum. */
    public static final String TYPE = "momentum";

    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;

    Momentum(Attributes attributes, OptimizerKernels kernels) {
        super(TYPE, attributes, List.of("velocity"), kernels);
        this.momentum = attributes.getFloat("momentum");
        this.nesterov = attributes.getBool("nesterov");
        this.weightDecay = attributes.getFloat("weight_decay");
    }

    @Override
    protected void update(OptimizerKernels k, float[] w, float[] g, Tensor[] slots, int from, int to, float lr, long t) {
        k.momentum(w, g, slots[0].data(), from, to, lr, momentum, weightDecay, nesterov);
    }

    /** Makes {@link Momentum} optimizers. */
    public static final class Factory implements OptimizerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .positiveFloat("learning_rate", 0.01f, "step size")
                .floatAttr("momentum", 0.9f, 0.0, true, 1.0, false, "decay of the velocity")
                .boolAttr("nesterov", false, "use Nesterov's look-ahead form")
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
            return "SGD with (optionally Nesterov) momentum: v = momentum·v + g; w -= lr·v";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Optimizer create(Attributes attributes) {
            return new Momentum(attributes, kernels);
        }
    }
}
