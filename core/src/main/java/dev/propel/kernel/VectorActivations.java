package dev.propel.kernel;

import static dev.propel.kernel.VectorKernels.LANES;
import static dev.propel.kernel.VectorKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Activation functions and their derivatives with the Vector API. Each loop runs whole vectors and
 * then one masked vector for the tail, so every element goes through the same formula.
 *
 * <p>The logistic function is evaluated without overflow or cancellation: with {@code z = e^(−|x|)},
 * {@code σ(|x|) = 1/(1+z)} and {@code σ(−|x|) = z/(1+z)}, so {@code σ(x)(1−σ(x)) = z/(1+z)²}. The
 * tanh-approximate GELU uses {@code ½(1 + tanh u) = σ(2u)} for the same reason: for very negative x,
 * {@code 1 + tanh u} computed in float would be all rounding error.
 *
 * <p><b>Inlining.</b> The functions built on {@link VectorMath#exp} write their formula once per method,
 * in one loop, so each formula is inlined once. With a second copy (a separate tail, or both GELU forms
 * behind a condition) C2 ran out of its inlining budget, a per-vector helper stayed a call, and each
 * vector crossing it was boxed: about 12 bytes allocated per element and a many-fold slowdown. The loop
 * loads and stores whole vectors without a mask; its last pass, when n is not a multiple of the lanes,
 * runs the same body on a copy of the partial vector in a per-thread scratch ({@link #tail}) and copies
 * the results back. A masked load and store at every step (the earlier form) cost a fifth to a quarter of
 * the GELU's time on an AVX2 Zen 3.
 */
final class VectorActivations {

    private static final float SQRT_HALF = (float) ScalarKernels.SQRT_HALF;
    private static final float INV_SQRT_2PI = (float) ScalarKernels.INV_SQRT_2PI;
    private static final float SQRT_2_OVER_PI = (float) ScalarKernels.SQRT_2_OVER_PI;
    private static final float GELU_CUBIC = (float) ScalarKernels.GELU_CUBIC;
    private static final float SQUARE_CAP = 1e30f;
    private static final float ERF_P = (float) Erf.P;
    private static final float ERF_A1 = (float) Erf.A1;
    private static final float ERF_A2 = (float) Erf.A2;
    private static final float ERF_A3 = (float) Erf.A3;
    private static final float ERF_A4 = (float) Erf.A4;
    private static final float ERF_A5 = (float) Erf.A5;

    /** Per-thread room for the partial last vector of a loop: up to three operands of one vector each. */
    private static final ThreadLocal<float[]> TAIL = ThreadLocal.withInitial(() -> new float[3 * LANES]);

    private VectorActivations() {
    }

    /** The thread's scratch with {@code a[from, from + count)} copied to {@code [at, at + count)}; the other lanes keep old values. */
    private static float[] tail(float[] a, int from, int count, int at) {
        float[] t = TAIL.get();
        System.arraycopy(a, from, t, at, count);
        return t;
    }

    /** {@code y = max(x, 0)}. */
    static void relu(float[] x, float[] y, int n) {
        relu(x, y, 0, n);
    }

    /** {@code y = max(x, 0)} over the elements {@code [from, to)}. */
    static void relu(float[] x, float[] y, int from, int to) {
        int i = from;
        for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, i).max(0f).intoArray(y, i);
        }
        if (i < to) {
            VectorMask<Float> m = SPECIES.indexInRange(i, to);
            FloatVector.fromArray(SPECIES, x, i, m).max(0f).intoArray(y, i, m);
        }
    }

    /** {@code dx = x > 0 ? dy : 0}. */
    static void reluBackward(float[] x, float[] dy, float[] dx, int n) {
        reluBackward(x, dy, dx, 0, n);
    }

    /** {@code dx = x > 0 ? dy : 0} over the elements {@code [from, to)}. */
    static void reluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = from;
        for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += LANES) {
            FloatVector xv = FloatVector.fromArray(SPECIES, x, i);
            zero.blend(FloatVector.fromArray(SPECIES, dy, i), xv.compare(VectorOperators.GT, 0f)).intoArray(dx, i);
        }
        if (i < to) {
            VectorMask<Float> m = SPECIES.indexInRange(i, to);
            FloatVector xv = FloatVector.fromArray(SPECIES, x, i, m);
            zero.blend(FloatVector.fromArray(SPECIES, dy, i, m), xv.compare(VectorOperators.GT, 0f))
                    .intoArray(dx, i, m);
        }
    }

    /** {@code y = x > 0 ? x : alpha·x}. */
    static void leakyRelu(float alpha, float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector xv = FloatVector.fromArray(SPECIES, x, i);
            xv.mul(alpha).blend(xv, xv.compare(VectorOperators.GT, 0f)).intoArray(y, i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector xv = FloatVector.fromArray(SPECIES, x, i, m);
            xv.mul(alpha).blend(xv, xv.compare(VectorOperators.GT, 0f)).intoArray(y, i, m);
        }
    }

    /** {@code dx = x > 0 ? dy : alpha·dy}. */
    static void leakyReluBackward(float alpha, float[] x, float[] dy, float[] dx, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector xv = FloatVector.fromArray(SPECIES, x, i);
            FloatVector dyv = FloatVector.fromArray(SPECIES, dy, i);
            dyv.mul(alpha).blend(dyv, xv.compare(VectorOperators.GT, 0f)).intoArray(dx, i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector xv = FloatVector.fromArray(SPECIES, x, i, m);
            FloatVector dyv = FloatVector.fromArray(SPECIES, dy, i, m);
            dyv.mul(alpha).blend(dyv, xv.compare(VectorOperators.GT, 0f)).intoArray(dx, i, m);
        }
    }

    /** {@code y = σ(x) = 1/(1 + e^−x)}, without overflow for either sign. */
    static void sigmoid(float[] x, float[] y, int n) {
        int bound = SPECIES.loopBound(n);
        float[] src = x;
        float[] dst = y;
        for (int i = 0, at = 0; i < n; i += LANES, at += LANES) { // one loop: see the class note on inlining
            if (i == bound) {
                src = dst = tail(x, i, n - i, 0);
                at = 0;
            }
            sigmoid(FloatVector.fromArray(SPECIES, src, at)).intoArray(dst, at);
        }
        if (bound < n) System.arraycopy(dst, 0, y, bound, n - bound);
    }

    /** {@code dx = dy · y · (1 − y)} from the forward output y. */
    static void sigmoidBackward(float[] y, float[] dy, float[] dx, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector yv = FloatVector.fromArray(SPECIES, y, i);
            FloatVector.fromArray(SPECIES, dy, i).mul(yv).mul(yv.neg().add(1f)).intoArray(dx, i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector yv = FloatVector.fromArray(SPECIES, y, i, m);
            FloatVector.fromArray(SPECIES, dy, i, m).mul(yv).mul(yv.neg().add(1f)).intoArray(dx, i, m);
        }
    }

    /** {@code y = tanh(x)}. */
    static void tanh(float[] x, float[] y, int n) {
        int bound = SPECIES.loopBound(n);
        float[] src = x;
        float[] dst = y;
        for (int i = 0, at = 0; i < n; i += LANES, at += LANES) { // one loop: see the class note on inlining
            if (i == bound) {
                src = dst = tail(x, i, n - i, 0);
                at = 0;
            }
            VectorMath.tanh(FloatVector.fromArray(SPECIES, src, at)).intoArray(dst, at);
        }
        if (bound < n) System.arraycopy(dst, 0, y, bound, n - bound);
    }

    /** {@code dx = dy · (1 − y²)} from the forward output y. */
    static void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector yv = FloatVector.fromArray(SPECIES, y, i);
            FloatVector.fromArray(SPECIES, dy, i).mul(yv.mul(yv).neg().add(1f)).intoArray(dx, i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector yv = FloatVector.fromArray(SPECIES, y, i, m);
            FloatVector.fromArray(SPECIES, dy, i, m).mul(yv.mul(yv).neg().add(1f)).intoArray(dx, i, m);
        }
    }

    /** GELU, exact ({@code x·Φ(x)}) or with the tanh approximation ({@code x·σ(2u)}, see the class note). */
    static void gelu(float[] x, float[] y, int n, boolean tanhApproximation) {
        if (tanhApproximation) {
            geluTanh(x, y, n);
        } else {
            geluExact(x, y, n);
        }
    }

    // One loop per formula, each in its own method: see the class note on inlining.

    /** {@code y = x·Φ(x)}; Φ as in the note on the exact GELU below, written out in the loop. */
    private static void geluExact(float[] x, float[] y, int n) {
        int bound = SPECIES.loopBound(n);
        float[] src = x;
        float[] dst = y;
        for (int i = 0, at = 0; i < n; i += LANES, at += LANES) {
            if (i == bound) {
                src = dst = tail(x, i, n - i, 0);
                at = 0;
            }
            FloatVector xv = FloatVector.fromArray(SPECIES, src, at);
            FloatVector e = VectorMath.exp(xv.mul(xv).mul(-0.5f));
            FloatVector a = xv.abs().mul(SQRT_HALF);
            FloatVector t = FloatVector.broadcast(SPECIES, 1f).div(a.mul(ERF_P).add(1f));
            FloatVector poly = t.mul(ERF_A5).add(ERF_A4).mul(t).add(ERF_A3).mul(t).add(ERF_A2).mul(t).add(ERF_A1).mul(t);
            FloatVector halfQ = poly.mul(e).mul(0.5f);
            FloatVector cdf = halfQ.neg().add(1f).blend(halfQ, xv.compare(VectorOperators.LT, 0f));
            xv.mul(cdf).intoArray(dst, at);
        }
        if (bound < n) System.arraycopy(dst, 0, y, bound, n - bound);
    }

    private static void geluTanh(float[] x, float[] y, int n) {
        int bound = SPECIES.loopBound(n);
        float[] src = x;
        float[] dst = y;
        for (int i = 0, at = 0; i < n; i += LANES, at += LANES) {
            if (i == bound) {
                src = dst = tail(x, i, n - i, 0);
                at = 0;
            }
            geluTanh(FloatVector.fromArray(SPECIES, src, at)).intoArray(dst, at);
        }
        if (bound < n) System.arraycopy(dst, 0, y, bound, n - bound);
    }

    /**
     * GELU derivative times dy. Exact: {@code d = Φ(x) + x·φ(x)}, {@code φ(x) = e^(−x²/2)/√(2π)}.
     * Tanh form, with {@code u = √(2/π)(x + 0.044715x³)} and {@code s = σ(2u)}:
     * {@code d = s + 2x·s(1−s)·√(2/π)(1 + 3·0.044715x²)} (since {@code 1 − tanh²u = 4s(1−s)}).
     */
    static void geluBackward(float[] x, float[] dy, float[] dx, int n, boolean tanhApproximation) {
        if (tanhApproximation) {
            geluTanhBackward(x, dy, dx, n);
        } else {
            geluExactBackward(x, dy, dx, n);
        }
    }

    /** {@code dx = dy·(Φ(x) + x·φ(x))}, Φ and φ = e^(−x²/2)/√(2π) written out in the loop. */
    private static void geluExactBackward(float[] x, float[] dy, float[] dx, int n) {
        int bound = SPECIES.loopBound(n);
        float[] xs = x;
        float[] dys = dy;
        float[] dst = dx;
        for (int i = 0, at = 0, dyAt = 0, dxAt = 0; i < n; i += LANES, at += LANES, dyAt += LANES, dxAt += LANES) {
            if (i == bound) { // operands side by side in the scratch: x, dy, then dx
                xs = tail(x, i, n - i, 0);
                dys = dst = tail(dy, i, n - i, LANES);
                at = 0;
                dyAt = LANES;
                dxAt = 2 * LANES;
            }
            FloatVector xv = FloatVector.fromArray(SPECIES, xs, at);
            FloatVector e = VectorMath.exp(xv.mul(xv).mul(-0.5f));
            FloatVector a = xv.abs().mul(SQRT_HALF);
            FloatVector t = FloatVector.broadcast(SPECIES, 1f).div(a.mul(ERF_P).add(1f));
            FloatVector poly = t.mul(ERF_A5).add(ERF_A4).mul(t).add(ERF_A3).mul(t).add(ERF_A2).mul(t).add(ERF_A1).mul(t);
            FloatVector halfQ = poly.mul(e).mul(0.5f);
            FloatVector cdf = halfQ.neg().add(1f).blend(halfQ, xv.compare(VectorOperators.LT, 0f));
            FloatVector d = xv.mul(e).mul(INV_SQRT_2PI).add(cdf);
            FloatVector.fromArray(SPECIES, dys, dyAt).mul(d).intoArray(dst, dxAt);
        }
        if (bound < n) System.arraycopy(dst, 2 * LANES, dx, bound, n - bound);
    }

    private static void geluTanhBackward(float[] x, float[] dy, float[] dx, int n) {
        int bound = SPECIES.loopBound(n);
        float[] xs = x;
        float[] dys = dy;
        float[] dst = dx;
        for (int i = 0, at = 0, dyAt = 0, dxAt = 0; i < n; i += LANES, at += LANES, dyAt += LANES, dxAt += LANES) {
            if (i == bound) { // operands side by side in the scratch: x, dy, then dx
                xs = tail(x, i, n - i, 0);
                dys = dst = tail(dy, i, n - i, LANES);
                at = 0;
                dyAt = LANES;
                dxAt = 2 * LANES;
            }
            FloatVector d = geluTanhDerivative(FloatVector.fromArray(SPECIES, xs, at));
            FloatVector.fromArray(SPECIES, dys, dyAt).mul(d).intoArray(dst, dxAt);
        }
        if (bound < n) System.arraycopy(dst, 2 * LANES, dx, bound, n - bound);
    }

    // ---------------------------------------------------------------- per-vector formulas

    /** σ(x) with {@code z = e^(−|x|)}: {@code 1/(1+z)} for x ≥ 0, {@code z/(1+z)} for x &lt; 0. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector z = VectorMath.exp(x.abs().neg());
        FloatVector big = FloatVector.broadcast(SPECIES, 1f).div(z.add(1f)); // no helper call after exp
        return big.blend(z.mul(big), x.compare(VectorOperators.LT, 0f));
    }

    /*
     * The exact GELU's Φ(x) = ½(1 + erf(x/√2)) uses the Abramowitz–Stegun 7.1.26 polynomial of
     * {@link Erf}: with a = |x|/√2, t = 1/(1 + p·a) and q = poly(t)·e^(−a²), erf(a) = 1 − q, so
     * Φ = 1 − q/2 for x ≥ 0 and q/2 for x < 0 (computed directly, free of cancellation), where
     * e^(−a²) = e^(−x²/2) is shared with φ. The loops above write it out (see the class note).
     */

    /** {@code u = √(2/π)·x·(1 + 0.044715x²)}. */
    private static FloatVector geluTanhArgument(FloatVector x) {
        return x.mul(x).mul(GELU_CUBIC).add(1f).mul(x).mul(SQRT_2_OVER_PI);
    }

    private static FloatVector geluTanh(FloatVector x) {
        return x.mul(sigmoid(geluTanhArgument(x).mul(2f)));
    }

    private static FloatVector geluTanhDerivative(FloatVector x) {
        FloatVector twoU = geluTanhArgument(x).mul(2f);
        FloatVector z = VectorMath.exp(twoU.abs().neg());
        FloatVector big = FloatVector.broadcast(SPECIES, 1f).div(z.add(1f));
        FloatVector small = z.mul(big);
        FloatVector s = big.blend(small, twoU.compare(VectorOperators.LT, 0f));
        // x² only matters where s(1−s) > 0 (|x| < 14); capping it keeps a huge finite x from making
        // inf·0 = NaN, while ±∞ still gives NaN as in the scalar twin.
        FloatVector slope = x.mul(x).min(SQUARE_CAP).mul(3f * GELU_CUBIC).add(1f).mul(2f * SQRT_2_OVER_PI);
        return x.mul(slope.mul(small.mul(big))).add(s);
    }
}
