package dev.propel.kernel;

import static dev.propel.kernel.VectorKernels.LANES;
import static dev.propel.kernel.VectorKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/**
 * Vector functions whose result does not depend on whether the JIT has compiled the calling code.
 *
 * <p>Why: until C2 compiles a Vector API loop it runs in a Java fallback. For plain IEEE operations
 * (add, mul, div, fma, sqrt, min/max, compares, rearranges) both paths give the same bits, but the
 * transcendental operators ({@code VectorOperators.EXP}, {@code LOG}, {@code TANH}, …) use SVML
 * intrinsics when compiled and {@code Math} when not, and {@code reduceLanes(ADD)} on floats may add
 * the lanes in another order. A training run would then depend on JIT timing and not be repeatable.
 * Everything here is built from the exact operations only.
 */
final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that {@code n·LN2_HI} is exact for |n| &lt; 2^15 (Cody–Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds a float of magnitude &lt; 2^22 to an integer held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** e^x overflows above ~88.72 and underflows to 0 below ~−103.97; clamping keeps 2^n in range. */
    private static final float EXP_MAX = 89f;
    private static final float EXP_MIN = -104f;
    private static final float TANH_SMALL = 0.4f;

    /*
     * Partners for the pairwise lane sum: step k adds lane i and lane i XOR 2^k. One static final
     * field per step (not an array) so that C2 sees each shuffle as a constant and intrinsifies the
     * rearrange; a shuffle read from an array falls back to the boxed Java code and allocates.
     */
    static final VectorShuffle<Float> PAIRS_1 = pairs(1);
    static final VectorShuffle<Float> PAIRS_2 = pairs(2);
    static final VectorShuffle<Float> PAIRS_4 = pairs(4);
    static final VectorShuffle<Float> PAIRS_8 = pairs(8);
    static final VectorShuffle<Float> PAIRS_16 = pairs(16);
    static final VectorShuffle<Float> PAIRS_32 = pairs(32);

    private VectorMath() {
    }

    private static VectorShuffle<Float> pairs(int bit) {
        return VectorShuffle.fromOp(SPECIES, i -> (i ^ bit) & (LANES - 1));
    }

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(SPECIES, v);
    }

    /** One Horner step: {@code p·x + c} with a single rounding. */
    private static FloatVector horner(FloatVector p, FloatVector x, float c) {
        return p.fma(x, bc(c));
    }

    /**
     * Σ of the lanes, always added in the same pairwise tree order (lanes: a power of two up to 64).
     * Hot kernels write these lines out instead of calling this method (see {@link #expShifted} for
     * why a vector should not cross a call); keep the copies identical.
     */
    static float sumLanes(FloatVector v) {
        if (LANES > 1) v = v.add(v.rearrange(PAIRS_1));
        if (LANES > 2) v = v.add(v.rearrange(PAIRS_2));
        if (LANES > 4) v = v.add(v.rearrange(PAIRS_4));
        if (LANES > 8) v = v.add(v.rearrange(PAIRS_8));
        if (LANES > 16) v = v.add(v.rearrange(PAIRS_16));
        if (LANES > 32) v = v.add(v.rearrange(PAIRS_32));
        return v.lane(0);
    }

    /**
     * e^x to about 2 ulp: {@code x = n·ln2 + r} with |r| ≤ ln2/2, e^r by its degree-7 Taylor polynomial
     * (truncation &lt; 6e-9 relative), and the result scaled by 2^n as two factors {@code 2^⌊n/2⌋·2^(n−⌊n/2⌋)}
     * so that subnormal results and overflow to ∞ come out right. NaN stays NaN.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = xc.fma(LOG2E, ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.neg().fma(bc(LN2_HI), xc);
        r = n.neg().fma(bc(LN2_LO), r);
        FloatVector p = r.fma(1f / 5040, 1f / 720);
        p = horner(p, r, 1f / 120);
        p = horner(p, r, 1f / 24);
        p = horner(p, r, 1f / 6);
        p = horner(p, r, 0.5f);
        p = horner(p, r, 1f);
        p = horner(p, r, 1f);
        IntVector ni = ((IntVector) t.reinterpretAsInts()).sub(ROUNDER_BITS);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector scale1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scale2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector result = p.mul(scale1).mul(scale2);
        VectorMask<Float> nan = x.test(VectorOperators.IS_NAN);
        return result.blend(x, nan);
    }

    /**
     * {@code y[yo + i] = e^(x[xo + i] − shift)} for i in [0, n): {@link #exp} over arrays, with the
     * formula written out in the loop instead of called. Only arrays and numbers cross this method's
     * boundary, and the loop body calls only the Vector API's own (force-inlined) methods, so it never
     * boxes a vector whatever C2 decides to inline: a helper taking a vector, once compiled on its own
     * into a large method, is no longer inlined into new callers, and each vector handed to it is
     * boxed. Same bits as {@code exp(x − shift)}.
     */
    static void expShifted(float[] x, int xo, float[] y, int yo, int n, float shift) {
        for (int i = 0; i < n; i += LANES) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(SPECIES, x, xo + i, m).sub(shift);
            FloatVector xc = v.max(EXP_MIN).min(EXP_MAX);
            FloatVector t = xc.fma(LOG2E, ROUNDER);
            FloatVector nf = t.sub(ROUNDER);
            FloatVector r = nf.neg().fma(FloatVector.broadcast(SPECIES, LN2_HI), xc);
            r = nf.neg().fma(FloatVector.broadcast(SPECIES, LN2_LO), r);
            FloatVector p = r.fma(1f / 5040, 1f / 720);
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 120));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 24));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 6));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 0.5f));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f));
            IntVector ni = ((IntVector) t.reinterpretAsInts()).sub(ROUNDER_BITS);
            IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector scale1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector scale2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            p.mul(scale1).mul(scale2).blend(v, v.test(VectorOperators.IS_NAN)).intoArray(y, yo + i, m);
        }
    }

    /**
     * One lane of {@link #expShifted}: {@code e^(x − shift)} by the same operations in the same order,
     * so the same bits. For kernels that take a scalar path on rows narrower than a vector
     * ({@link NarrowRows}).
     */
    static float expShiftedLane(float x, float shift) {
        float v = x - shift;
        float xc = Math.min(Math.max(v, EXP_MIN), EXP_MAX);
        float t = Math.fma(xc, LOG2E, ROUNDER);
        float nf = t - ROUNDER;
        float r = Math.fma(-nf, LN2_HI, xc);
        r = Math.fma(-nf, LN2_LO, r);
        float p = Math.fma(r, 1f / 5040, 1f / 720);
        p = Math.fma(p, r, 1f / 120);
        p = Math.fma(p, r, 1f / 24);
        p = Math.fma(p, r, 1f / 6);
        p = Math.fma(p, r, 0.5f);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int ni = Float.floatToRawIntBits(t) - ROUNDER_BITS;
        int half = ni >> 1;
        float scale1 = Float.intBitsToFloat((half + 127) << 23);
        float scale2 = Float.intBitsToFloat((ni - half + 127) << 23);
        return Float.isNaN(v) ? v : p * scale1 * scale2;
    }

    /**
     * tanh x. For |x| &lt; 0.4 the odd Taylor series to x¹³ (truncation &lt; 2e-9 relative); otherwise
     * {@code sign(x)·(1 − 2/(e^(2|x|) + 1))}, which reaches ±1 for large |x| and keeps NaN.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector x2 = x.mul(x);
        FloatVector s = x2.fma(21844f / 6081075, -1382f / 155925);
        s = horner(s, x2, 62f / 2835);
        s = horner(s, x2, -17f / 315);
        s = horner(s, x2, 2f / 15);
        s = horner(s, x2, -1f / 3);
        FloatVector small = s.mul(x2).fma(x, x);
        FloatVector e = exp(ax.mul(2f));
        FloatVector big = FloatVector.broadcast(SPECIES, 2f).div(e.add(1f)).neg().add(1f);
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        return big.blend(small, ax.compare(VectorOperators.LT, TANH_SMALL));
    }
}
