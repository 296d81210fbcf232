package dev.propel.kernel;

import static dev.propel.kernel.VectorKernels.LANES;
import static dev.propel.kernel.VectorKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Element-wise losses with the Vector API. The per-element terms are computed in float; each
 * vector's terms are added across lanes into a double total, so the sum of a large batch does not
 * lose precision to float accumulation.
 */
final class VectorLosses {

    private static final float LOG_FLOOR = -100f;
    private static final float GRAD_DENOMINATOR_FLOOR = 1e-12f;

    private VectorLosses() {
    }

    /**
     * Binary cross-entropy, see {@link Kernels#binaryCrossEntropy}. Probabilities:
     * {@code l = −(t·max(ln p, −100) + (1−t)·max(ln(1−p), −100))}, {@code grad = (p−t)/max(p(1−p), 1e-12)};
     * logits: {@code l = max(z,0) − z·t + ln(1 + e^−|z|)}, {@code grad = σ(z) − t}.
     */
    static float binaryCrossEntropy(float[] p, float[] t, float[] grad, int n, boolean fromLogits) {
        double total = 0;
        int i = 0;
        for (; i < n; i += LANES) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector pv = FloatVector.fromArray(SPECIES, p, i, m);
            FloatVector tv = FloatVector.fromArray(SPECIES, t, i, m);
            FloatVector loss;
            FloatVector g;
            if (fromLogits) {
                FloatVector softplus = pv.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
                loss = pv.max(0f).sub(pv.mul(tv)).add(softplus);
                g = grad == null ? null : VectorActivations.sigmoid(pv).sub(tv);
            } else {
                FloatVector logP = pv.lanewise(VectorOperators.LOG).max(LOG_FLOOR);
                FloatVector log1mP = pv.neg().lanewise(VectorOperators.LOG1P).max(LOG_FLOOR);
                loss = tv.mul(logP).add(tv.neg().add(1f).mul(log1mP)).neg();
                g = grad == null ? null
                        : pv.sub(tv).div(pv.mul(pv.neg().add(1f)).max(GRAD_DENOMINATOR_FLOOR));
            }
            total += loss.reduceLanes(VectorOperators.ADD, m);
            if (g != null) {
                g.intoArray(grad, i, m);
            }
        }
        return (float) total;
    }
}
