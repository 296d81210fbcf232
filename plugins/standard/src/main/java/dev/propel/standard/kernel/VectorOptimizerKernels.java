package dev.propel.standard.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link OptimizerKernels} with the JDK Vector API ({@link FloatVector#SPECIES_PREFERRED}), moved here
 * from the core's kernels unchanged. Each update performs the scalar twin's float operations in the same
 * order (no fused multiply-adds, square roots correctly rounded in both), so parameters evolve bitwise
 * identically with either implementation. Loops step by whole vectors, the last step masked; every
 * element is computed alone, so any split of a tensor into ranges gives the same bits.
 */
public final class VectorOptimizerKernels implements OptimizerKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    /** {@code w −= lr·(g + wd·w)}. */
    @Override
    public void sgd(float[] w, float[] g, int from, int to, float lr, float weightDecay) {
        for (int i = from; i < to; i += LANES) {
            VectorMask<Float> m = SPECIES.indexInRange(i, to);
            FloatVector wv = FloatVector.fromArray(SPECIES, w, i, m);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i, m);
            wv.sub(gv.add(wv.mul(weightDecay)).mul(lr)).intoArray(w, i, m);
        }
    }

    /** {@code g' = g + wd·w; v = μ·v + g'; w −= lr·(nesterov ? g' + μ·v : v)}. */
    @Override
    public void momentum(float[] w, float[] g, float[] v, int from, int to, float lr, float momentum, float weightDecay,
                         boolean nesterov) {
        for (int i = from; i < to; i += LANES) {
            VectorMask<Float> m = SPECIES.indexInRange(i, to);
            FloatVector wv = FloatVector.fromArray(SPECIES, w, i, m);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i, m).add(wv.mul(weightDecay));
            FloatVector vv = FloatVector.fromArray(SPECIES, v, i, m).mul(momentum).add(gv);
            vv.intoArray(v, i, m);
            FloatVector step = nesterov ? gv.add(vv.mul(momentum)) : vv;
            wv.sub(step.mul(lr)).intoArray(w, i, m);
        }
    }

    /** {@code g' = g + wd·w; s = α·s + (1−α)·g'²; w −= lr·g' / (√s + ε)}. */
    @Override
    public void rmsprop(float[] w, float[] g, float[] s, int from, int to, float lr, float alpha, float eps,
                        float weightDecay) {
        float oneMinusAlpha = 1f - alpha;
        for (int i = from; i < to; i += LANES) {
            VectorMask<Float> m = SPECIES.indexInRange(i, to);
            FloatVector wv = FloatVector.fromArray(SPECIES, w, i, m);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i, m).add(wv.mul(weightDecay));
            FloatVector sv = FloatVector.fromArray(SPECIES, s, i, m).mul(alpha).add(gv.mul(oneMinusAlpha).mul(gv));
            sv.intoArray(s, i, m);
            FloatVector denom = sv.lanewise(VectorOperators.SQRT).add(eps);
            wv.sub(gv.mul(lr).div(denom)).intoArray(w, i, m);
        }
    }

    /** {@code g' = g + wd·w; s += g'²; w −= lr·g' / (√s + ε)}. */
    @Override
    public void adagrad(float[] w, float[] g, float[] s, int from, int to, float lr, float eps, float weightDecay) {
        for (int i = from; i < to; i += LANES) {
            VectorMask<Float> m = SPECIES.indexInRange(i, to);
            FloatVector wv = FloatVector.fromArray(SPECIES, w, i, m);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i, m).add(wv.mul(weightDecay));
            FloatVector sv = FloatVector.fromArray(SPECIES, s, i, m).add(gv.mul(gv));
            sv.intoArray(s, i, m);
            FloatVector denom = sv.lanewise(VectorOperators.SQRT).add(eps);
            wv.sub(gv.mul(lr).div(denom)).intoArray(w, i, m);
        }
    }

    /**
     * Adam / AdamW: {@code g' = g + wd·w} (coupled) or {@code w ·= 1 − lr·wd} (decoupled);
     * {@code m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²; w −= (lr/bc1)·m / (√v/√bc2 + ε)}.
     */
    @Override
    public void adam(float[] w, float[] g, float[] mom, float[] vel, int from, int to, float lr, float beta1, float beta2,
                     float eps, float weightDecay, boolean decoupled, float bc1, float bc2) {
        float stepSize = lr / bc1;
        float invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2));
        float shrink = decoupled ? 1f - lr * weightDecay : 1f;
        float coupled = decoupled ? 0f : weightDecay;
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        for (int i = from; i < to; i += LANES) {
            VectorMask<Float> m = SPECIES.indexInRange(i, to);
            FloatVector wv = FloatVector.fromArray(SPECIES, w, i, m);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i, m).add(wv.mul(coupled));
            FloatVector mv = FloatVector.fromArray(SPECIES, mom, i, m).mul(beta1).add(gv.mul(oneMinusBeta1));
            FloatVector vv = FloatVector.fromArray(SPECIES, vel, i, m).mul(beta2).add(gv.mul(oneMinusBeta2).mul(gv));
            mv.intoArray(mom, i, m);
            vv.intoArray(vel, i, m);
            FloatVector denom = vv.lanewise(VectorOperators.SQRT).mul(invSqrtBc2).add(eps);
            wv.mul(shrink).sub(mv.mul(stepSize).div(denom)).intoArray(w, i, m);
        }
    }
}
