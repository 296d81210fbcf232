package com.example.propel;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Optimizer;
import dev.propel.spi.OptimizerFactory;

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
public final class Qhm extends OneSlotOptimizer {
    public static final String TYPE = "qhm";
    static final String SLOT = "momentum_buffer";

    private final float nu;
    private final float beta;
    private final float weightDecay;

    Qhm(Attributes attributes) {
        super(TYPE, SLOT, attributes);
        this.nu = attributes.getFloat("nu");
        this.beta = attributes.getFloat("beta");
        this.weightDecay = attributes.getFloat("weight_decay");
    }

    @Override
    protected void update(float[] w, float[] g, float[] b, int n, float learningRate, Kernels k) {
        k.scale(beta, b, b, n);                                       // b = β·b
        k.axpy(1f - beta, g, b, n);                                   //   + (1 − β)·g
        if (weightDecay != 0f) {
            k.axpy((1f - beta) * weightDecay, w, b, n);               //   + (1 − β)·wd·w
            k.scale(1f - learningRate * (1f - nu) * weightDecay, w, w, n); // w −= lr(1 − ν)·wd·w
        }
        k.axpy(-learningRate * (1f - nu), g, w, n);                   // w −= lr(1 − ν)·g
        k.axpy(-learningRate * nu, b, w, n);                          // w −= lr·ν·b
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
