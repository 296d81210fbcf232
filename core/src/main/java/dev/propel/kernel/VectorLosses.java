package dev.propel.kernel;

import static dev.propel.kernel.VectorKernels.LANES;
import static dev.propel.kernel.VectorKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Element-wise losses with the Vector API. The per-element terms are computed in float and summed in
 * float lanes over blocks of {@value #BLOCK} elements; the block sums are added into a double total,
 * so the loss of a large batch does not lose precision to float accumulation.
 */
final class VectorLosses {

    /** Elements summed in float lanes before the partial sum joins the double total. */
    private static final int BLOCK = 1024;
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
        for (int block = 0; block < n; block += BLOCK) {
            int end = Math.min(n, block + BLOCK);
            FloatVector sum = FloatVector.zero(SPECIES);
            for (int i = block; i < end; i += LANES) {
                VectorMask<Float> m = SPECIES.indexInRange(i, end);
                FloatVector pv = FloatVector.fromArray(SPECIES, p, i, m);
                FloatVector tv = FloatVector.fromArray(SPECIES, t, i, m);
                FloatVector loss;
                if (fromLogits) {
                    // z = e^(−|x|) gives both ln(1 + e^(−|x|)) and σ(x) (see VectorActivations.sigmoid).
                    FloatVector z = pv.abs().neg().lanewise(VectorOperators.EXP);
                    loss = pv.max(0f).sub(pv.mul(tv)).add(z.lanewise(VectorOperators.LOG1P));
                    if (grad != null) {
                        FloatVector big = FloatVector.broadcast(SPECIES, 1f).div(z.add(1f));
                        FloatVector sigmoid = big.blend(z.mul(big), pv.compare(VectorOperators.LT, 0f));
                        sigmoid.sub(tv).intoArray(grad, i, m);
                    }
                } else {
                    FloatVector logP = pv.lanewise(VectorOperators.LOG).max(LOG_FLOOR);
                    FloatVector log1mP = pv.neg().lanewise(VectorOperators.LOG1P).max(LOG_FLOOR);
                    loss = tv.mul(logP).add(tv.neg().add(1f).mul(log1mP)).neg();
                    if (grad != null) {
                        FloatVector denominator = pv.mul(pv.neg().add(1f)).max(GRAD_DENOMINATOR_FLOOR);
                        pv.sub(tv).div(denominator).intoArray(grad, i, m);
                    }
                }
                sum = sum.add(loss, m);
            }
            total += sum.reduceLanes(VectorOperators.ADD);
        }
        return (float) total;
    }
}
