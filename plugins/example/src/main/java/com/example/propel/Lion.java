package com.example.propel;

import dev.propel.kernel.Kernels;
import dev.propel.kernel.UnaryOp;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Optimizer;
import dev.propel.spi.OptimizerFactory;

/**
 * Lion, "EvoLved Sign Momentum" (Chen et al., "Symbolic Discovery of Optimization Algorithms", 2023,
 * Algorithm 2). Per parameter w with gradient g, at each step:
 * <pre>
 *   c = β1·m + (1 − β1)·g                  (the update direction, interpolated)
 *   w ← w − lr·(sign(c) + wd·w)            (decoupled weight decay, as in the paper)
 *   m ← β2·m + (1 − β2)·g                  (slot "m", starts at 0)
 * </pre>
 * Every coordinate moves by exactly ±lr (or 0) plus the decay, so Lion wants a learning rate 3–10
 * times smaller than AdamW's and a weight decay that much larger. Attributes: {@code learning_rate}
 * (default 1e-4), {@code beta1} (0.9), {@code beta2} (0.99), {@code weight_decay} (0); the defaults
 * are the paper's. State is named {@code "<parameter>/m"}.
 */
public final class Lion extends OneSlotOptimizer {
    public static final String TYPE = "lion";
    static final String SLOT = "m";

    private final float beta1;
    private final float beta2;
    private final float weightDecay;
    /** The direction c of the parameter being updated; grown on demand (an optimizer steps on one thread). */
    private float[] direction = new float[0];

    Lion(Attributes attributes) {
        super(TYPE, SLOT, attributes);
        this.beta1 = attributes.getFloat("beta1");
        this.beta2 = attributes.getFloat("beta2");
        this.weightDecay = attributes.getFloat("weight_decay");
    }

    @Override
    protected void update(float[] w, float[] g, float[] m, int n, float learningRate, Kernels k) {
        if (direction.length < n) direction = new float[n];
        float[] c = direction;
        k.scale(beta1, m, c, n);                                  // c = β1·m
        k.axpy(1f - beta1, g, c, n);                              //   + (1 − β1)·g
        k.unary(UnaryOp.SIGN, c, 0, c, 0, n);                     // sign(c)
        if (weightDecay != 0f) k.scale(1f - learningRate * weightDecay, w, w, n); // w −= lr·wd·w
        k.axpy(-learningRate, c, w, n);                           // w −= lr·sign(c)
        k.scale(beta2, m, m, n);                                  // m = β2·m
        k.axpy(1f - beta2, g, m, n);                              //   + (1 − β2)·g
    }

    /** Makes {@link Lion} optimizers. */
    public static final class Factory implements OptimizerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .positiveFloat("learning_rate", 1e-4f, "step size: every coordinate moves by ±learning_rate")
                .floatAttr("beta1", 0.9f, 0.0, true, 1.0, false, "weight of the momentum in the update direction c")
                .floatAttr("beta2", 0.99f, 0.0, true, 1.0, false, "decay of the momentum m")
                .nonNegativeFloat("weight_decay", 0f, "decoupled decay: w -= learning_rate·weight_decay·w each step")
                .build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "Lion: w -= lr·(sign(beta1·m + (1 - beta1)·g) + weight_decay·w), m = beta2·m + (1 - beta2)·g";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Optimizer create(Attributes attributes) {
            return new Lion(attributes);
        }
    }
}
