package dev.propel.kernel;

import static dev.propel.kernel.VectorKernels.LANES;
import static dev.propel.kernel.VectorKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Whole-array reductions with the Vector API. Sums keep four independent vector accumulators (so the
 * adds overlap in the pipeline) and add them across lanes at the end; the result differs from the
 * sequential scalar sum only by float rounding, and is the same on every call for the same input.
 */
final class VectorReductions {

    private VectorReductions() {
    }

    /** {@code Σ x[i]}. */
    static float sum(float[] x, int n) {
        return ShortArrays.applies(n) ? ShortArrays.sum(x, n) : vectorSum(x, n);
    }

    /** The vector code of {@link #sum}, at any length. */
    static float vectorSum(float[] x, int n) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (int bound = n - 4 * LANES; i <= bound; i += 4 * LANES) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, x, i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, x, i + LANES));
            s2 = s2.add(FloatVector.fromArray(SPECIES, x, i + 2 * LANES));
            s3 = s3.add(FloatVector.fromArray(SPECIES, x, i + 3 * LANES));
        }
        for (; i < n; i += LANES) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, x, i, SPECIES.indexInRange(i, n)));
        }
        FloatVector t = s0.add(s1).add(s2.add(s3));
        // VectorMath.sumLanes written out: no vector crosses a call (see VectorMath.expShifted)
        if (LANES > 1) t = t.add(t.rearrange(VectorMath.PAIRS_1));
        if (LANES > 2) t = t.add(t.rearrange(VectorMath.PAIRS_2));
        if (LANES > 4) t = t.add(t.rearrange(VectorMath.PAIRS_4));
        if (LANES > 8) t = t.add(t.rearrange(VectorMath.PAIRS_8));
        if (LANES > 16) t = t.add(t.rearrange(VectorMath.PAIRS_16));
        if (LANES > 32) t = t.add(t.rearrange(VectorMath.PAIRS_32));
        return t.lane(0);
    }

    /** {@code Σ a[i]·b[i]} with fused multiply-adds. */
    static float dot(float[] a, float[] b, int n) {
        return ShortArrays.applies(n) ? ShortArrays.dot(a, b, n) : vectorDot(a, b, n);
    }

    /** The vector code of {@link #dot}, at any length. */
    static float vectorDot(float[] a, float[] b, int n) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (int bound = n - 4 * LANES; i <= bound; i += 4 * LANES) {
            s0 = FloatVector.fromArray(SPECIES, a, i).fma(FloatVector.fromArray(SPECIES, b, i), s0);
            s1 = FloatVector.fromArray(SPECIES, a, i + LANES).fma(FloatVector.fromArray(SPECIES, b, i + LANES), s1);
            s2 = FloatVector.fromArray(SPECIES, a, i + 2 * LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, i + 2 * LANES), s2);
            s3 = FloatVector.fromArray(SPECIES, a, i + 3 * LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, i + 3 * LANES), s3);
        }
        for (; i < n; i += LANES) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            s0 = FloatVector.fromArray(SPECIES, a, i, m).fma(FloatVector.fromArray(SPECIES, b, i, m), s0);
        }
        FloatVector t = s0.add(s1).add(s2.add(s3));
        // VectorMath.sumLanes written out: no vector crosses a call (see VectorMath.expShifted)
        if (LANES > 1) t = t.add(t.rearrange(VectorMath.PAIRS_1));
        if (LANES > 2) t = t.add(t.rearrange(VectorMath.PAIRS_2));
        if (LANES > 4) t = t.add(t.rearrange(VectorMath.PAIRS_4));
        if (LANES > 8) t = t.add(t.rearrange(VectorMath.PAIRS_8));
        if (LANES > 16) t = t.add(t.rearrange(VectorMath.PAIRS_16));
        if (LANES > 32) t = t.add(t.rearrange(VectorMath.PAIRS_32));
        return t.lane(0);
    }

    /** Index of the first NaN or infinite element, or −1. */
    static int firstNonFinite(float[] x, int n) {
        if (ShortArrays.applies(n)) return VectorKernels.SCALAR.firstNonFinite(x, n);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            VectorMask<Float> bad = FloatVector.fromArray(SPECIES, x, i).test(VectorOperators.IS_FINITE).not();
            if (bad.anyTrue()) {
                return i + bad.firstTrue();
            }
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            VectorMask<Float> bad = FloatVector.fromArray(SPECIES, x, i, m).test(VectorOperators.IS_FINITE).not().and(m);
            if (bad.anyTrue()) {
                return i + bad.firstTrue();
            }
        }
        return -1;
    }
}
