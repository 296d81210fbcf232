package dev.propel.standard.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link OptimizerKernels} with the JDK Vector API ({@link FloatVector#SPECIES_PREFERRED}), moved here
 * from the core's kernels unchanged. Each update performs the scalar twin's float operations in the same
 * order (no fused multiply-adds, square roots correctly rounded in both), so parameters evolve bitwise
 * identically with either implementation. Loops step by whole vectors and hand the last {@code < LANES}
 * elements to the scalar twin: a masked step that reaches past the array's end takes the Vector API's
 * checked slow path, which a JFR profile of MLP training put at about a tenth of the step (Adam on a
 * 10-element bias at 16 lanes). Every element is computed alone, so any split of a tensor into ranges
 * gives the same bits.
 */
public final class VectorOptimizerKernels implements OptimizerKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Computes the tail of each range, in the same float operations as the vector steps. */
    private static final ScalarOptimizerKernels TAIL = new ScalarOptimizerKernels();

    /** The end of the whole vectors of {@code [from, to)}. */
    private static int wholeEnd(int from, int to) {
        return from + SPECIES.loopBound(to - from);
    }

    /** {@code w −= lr·(g + wd·w)}. */
    @Override
    public void sgd(float[] w, float[] g, int from, int to, float lr, float weightDecay) {
        int end = wholeEnd(from, to);
        for (int i = from; i < end; i += LANES) {
            FloatVector wv = FloatVector.fromArray(SPECIES, w, i);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i);
            wv.sub(gv.add(wv.mul(weightDecay)).mul(lr)).intoArray(w, i);
        }
        TAIL.sgd(w, g, end, to, lr, weightDecay);
    }

    /** {@code g' = g + wd·w; v = μ·v + g'; w −= lr·(nesterov ? g' + μ·v : v)}. */
    @Override
    public void momentum(float[] w, float[] g, float[] v, int from, int to, float lr, float momentum, float weightDecay,
                         boolean nesterov) {
        int end = wholeEnd(from, to);
        for (int i = from; i < end; i += LANES) {
            FloatVector wv = FloatVector.fromArray(SPECIES, w, i);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i).add(wv.mul(weightDecay));
            FloatVector vv = FloatVector.fromArray(SPECIES, v, i).mul(momentum).add(gv);
            vv.intoArray(v, i);
            FloatVector step = nesterov ? gv.add(vv.mul(momentum)) : vv;
            wv.sub(step.mul(lr)).intoArray(w, i);
        }
        TAIL.momentum(w, g, v, end, to, lr, momentum, weightDecay, nesterov);
    }

    /** {@code g' = g + wd·w; s = α·s + (1−α)·g'²; w −= lr·g' / (√s + ε)}. */
    @Override
    public void rmsprop(float[] w, float[] g, float[] s, int from, int to, float lr, float alpha, float eps,
                        float weightDecay) {
        float oneMinusAlpha = 1f - alpha;
        int end = wholeEnd(from, to);
        for (int i = from; i < end; i += LANES) {
            FloatVector wv = FloatVector.fromArray(SPECIES, w, i);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i).add(wv.mul(weightDecay));
            FloatVector sv = FloatVector.fromArray(SPECIES, s, i).mul(alpha).add(gv.mul(oneMinusAlpha).mul(gv));
            sv.intoArray(s, i);
            FloatVector denom = sv.lanewise(VectorOperators.SQRT).add(eps);
            wv.sub(gv.mul(lr).div(denom)).intoArray(w, i);
        }
        TAIL.rmsprop(w, g, s, end, to, lr, alpha, eps, weightDecay);
    }

    /** {@code g' = g + wd·w; s += g'²; w −= lr·g' / (√s + ε)}. */
    @Override
    public void adagrad(float[] w, float[] g, float[] s, int from, int to, float lr, float eps, float weightDecay) {
        int end = wholeEnd(from, to);
        for (int i = from; i < end; i += LANES) {
            FloatVector wv = FloatVector.fromArray(SPECIES, w, i);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i).add(wv.mul(weightDecay));
            FloatVector sv = FloatVector.fromArray(SPECIES, s, i).add(gv.mul(gv));
            sv.intoArray(s, i);
            FloatVector denom = sv.lanewise(VectorOperators.SQRT).add(eps);
            wv.sub(gv.mul(lr).div(denom)).intoArray(w, i);
        }
        TAIL.adagrad(w, g, s, end, to, lr, eps, weightDecay);
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
        int end = wholeEnd(from, to);
        for (int i = from; i < end; i += LANES) {
            FloatVector wv = FloatVector.fromArray(SPECIES, w, i);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i).add(wv.mul(coupled));
            FloatVector mv = FloatVector.fromArray(SPECIES, mom, i).mul(beta1).add(gv.mul(oneMinusBeta1));
            FloatVector vv = FloatVector.fromArray(SPECIES, vel, i).mul(beta2).add(gv.mul(oneMinusBeta2).mul(gv));
            mv.intoArray(mom, i);
            vv.intoArray(vel, i);
            FloatVector denom = vv.lanewise(VectorOperators.SQRT).mul(invSqrtBc2).add(eps);
            wv.mul(shrink).sub(mv.mul(stepSize).div(denom)).intoArray(w, i);
        }
        TAIL.adam(w, g, mom, vel, end, to, lr, beta1, beta2, eps, weightDecay, decoupled, bc1, bc2);
    }
}
