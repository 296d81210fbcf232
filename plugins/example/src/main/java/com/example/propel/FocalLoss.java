package com.example.propel;

import dev.propel.kernel.BinaryOp;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.ReduceOp;
import dev.propel.kernel.UnaryOp;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

/**
 * Multi-class focal loss (Lin, Goyal, Girshick, He and Dollár, "Focal Loss for Dense Object
 * Detection", 2017) on logits z of shape {@code [batch, classes]}, with one-hot or probability targets
 * t like {@code cross_entropy}. With p = softmax(z) and q = 1 − p, averaged over the B rows:
 * <pre>
 *   L = −(α/B) Σ_r Σ_c t_c · q_c^γ · log p_c         (one-hot t: −α·(1 − p_t)^γ·log p_t per row)
 * </pre>
 * γ = 0 and α = 1 is exactly {@code cross_entropy}. The gradient, by hand: per row,
 * ∂L/∂p_c = (α/B)·t_c·(γ·q_c^(γ−1)·log p_c − q_c^γ / p_c), and through the softmax Jacobian
 * ∂p_c/∂z_j = p_c·(δ_cj − p_j), with v_c = p_c·∂L/∂p_c:
 * <pre>
 *   v_c = (α/B)·t_c·(γ·p_c·log p_c·q_c^(γ−1) − q_c^γ)
 *   ∂L/∂z_j = v_j − p_j·Σ_c v_c
 * </pre>
 * (For γ = 0 and α = 1 this is (p·Σt − t)/B, the cross-entropy gradient.) In float32, q = 1 − p is
 * either 0 or at least 2⁻²⁴, and q^(γ−1) is computed with q raised to 2⁻²⁴ where it is 0: for
 * 0 &lt; γ &lt; 1 the factor would otherwise be infinite where p rounds to 1, although its product with
 * log p tends to 0.
 *
 * <p>Attributes: {@code gamma} (γ ≥ 0, default 2, the paper's choice), {@code alpha} (α > 0, default
 * 1). The paper's α = 0.25 weights the positive class of its binary (sigmoid) form; in this softmax
 * form one scalar α only scales the loss, so the default is 1.
 *
 * <p>Written only with kernel primitives: log p by {@code logSumExpRows} and a column broadcast, powers
 * by {@code broadcast(POW)} with a one-element exponent, per-row sums by {@code reduce}. Thread safety:
 * scratch arrays are per thread.
 */
public final class FocalLoss implements Loss {
    public static final String TYPE = "focal";
    /** The spacing of float32 just below 1: the smallest non-zero 1 − p. */
    private static final float SMALLEST_Q = 0x1p-24f;

    private static final int LOG_P = 0;
    private static final int P = 1;
    private static final int Q = 2;
    private static final int Q_GAMMA = 3;
    private static final int V = 4;
    private static final int ROWS = 5;

    private final Attributes attributes;
    private final float gamma;
    private final float alpha;
    /** One-element exponents and floor for {@code broadcast} over {@code [1, 1, n]}; never written. */
    private final float[] gammaValue;
    private final float[] gammaMinusOne;
    private final float[] smallestQ = {SMALLEST_Q};
    private final ScratchArrays scratch = new ScratchArrays(6);

    FocalLoss(Attributes attributes) {
        this.attributes = attributes;
        this.gamma = attributes.getFloat("gamma");
        this.alpha = attributes.getFloat("alpha");
        this.gammaValue = new float[] {gamma};
        this.gammaMinusOne = new float[] {gamma - 1f};
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }

    @Override
    public float compute(Tensor predictions, Tensor targets, Tensor gradient, Kernels k) {
        LossInputs.check(TYPE, predictions, targets, gradient);
        if (predictions.shape().rank() < 2) {
            throw new ShapeException("loss '" + TYPE + "': expected logits of shape [batch, classes] but got "
                    + predictions.shape());
        }
        int cols = predictions.shape().dim(predictions.shape().rank() - 1);
        int rows = predictions.size() / cols;
        int n = rows * cols;
        float[] z = predictions.data();
        float[] t = targets.data();
        float[][] s = scratch.get(n);
        float[] logP = s[LOG_P];
        float[] p = s[P];
        float[] q = s[Q];
        float[] qGamma = s[Q_GAMMA];
        float[] perRow = s[ROWS];

        k.logSumExpRows(z, perRow, rows, cols);
        k.broadcast(BinaryOp.SUB, z, 0, perRow, 0, logP, 0, 1, rows, cols);      // log p = z − lse
        k.unary(UnaryOp.EXP, logP, 0, p, 0, n);                                 // p
        k.affine(-1f, p, 0, 1f, q, 0, n);                                       // q = 1 − p
        k.broadcast(BinaryOp.POW, q, 0, gammaValue, 0, qGamma, 0, 1, 1, n);      // q^γ
        float[] v = s[V];
        k.binary(BinaryOp.MUL, t, 0, qGamma, 0, v, 0, n);                       // t·q^γ
        float loss = -alpha / rows * k.dot(v, logP, n);

        if (gradient != null) {
            float[] g = gradient.data();
            k.broadcast(BinaryOp.MAX, q, 0, smallestQ, 0, g, 0, 1, 1, n);
            k.broadcast(BinaryOp.POW, g, 0, gammaMinusOne, 0, g, 0, 1, 1, n);   // q^(γ−1)
            k.binary(BinaryOp.MUL, g, 0, p, 0, g, 0, n);
            k.binary(BinaryOp.MUL, g, 0, logP, 0, g, 0, n);                     // p·log p·q^(γ−1)
            k.affine(gamma, g, 0, 0f, g, 0, n);
            k.binary(BinaryOp.SUB, g, 0, qGamma, 0, g, 0, n);                   // γ·p·log p·q^(γ−1) − q^γ
            k.binary(BinaryOp.MUL, g, 0, t, 0, v, 0, n);                        // v (without α/B)
            k.reduce(ReduceOp.SUM, v, 0, rows, cols, 1, perRow, 0, false);      // Σ_c v_c
            k.broadcast(BinaryOp.MUL, p, 0, perRow, 0, g, 0, 1, rows, cols);    // p_j·Σ_c v_c
            k.binary(BinaryOp.SUB, v, 0, g, 0, g, 0, n);                        // v_j − p_j·Σ_c v_c
            k.scale(alpha / rows, g, g, n);
        }
        return loss;
    }

    @Override
    public String toString() {
        return "loss '" + TYPE + "' (gamma " + gamma + ", alpha " + alpha + ")";
    }

    /** Makes {@link FocalLoss} losses. */
    public static final class Factory implements LossFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .nonNegativeFloat("gamma", 2f, "focusing exponent: (1 - p)^gamma down-weights well-classified rows; 0 is cross-entropy")
                .positiveFloat("alpha", 1f, "scale of the loss (the paper's class weight; one scalar in this softmax form)")
                .build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "focal loss on logits, -alpha·(1 - p_t)^gamma·log p_t averaged over the batch; one-hot or probability targets";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Loss create(Attributes attributes) {
            return new FocalLoss(attributes);
        }
    }
}
