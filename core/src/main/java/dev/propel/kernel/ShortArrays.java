package dev.propel.kernel;

import static dev.propel.kernel.VectorKernels.LANES;

/**
 * Scalar code for {@link VectorKernels}' element-wise kernels and reductions on arrays shorter than
 * {@link #MAX_LENGTH} values: a batch norm's per-channel statistics, a loss's per-row values, the
 * optimizer's tiny parameters. The element-wise operations are the scalar twin's (the same IEEE
 * operations, so the same bits); the sums here add in the vector code's order (below), so they give its bits.
 *
 * <p>Why: such calls come a few dozen times per training step. In a CNN, at a few steps a second,
 * HotSpot leaves them in the interpreter and C1 for minutes, where every Vector API operation allocates
 * its result (only C2 keeps vectors in registers); scalar code allocates nothing in any tier. On arrays
 * this short the vector code saves well under a microsecond per call.
 */
final class ShortArrays {

    /** Sums and the primitives' unary and binary operations take the scalar path below this length. */
    static final int MAX_LENGTH = 256;
    /**
     * The simple element-wise loops (add, sub, mul, scale, axpy, affine) take it below this length: C2's
     * auto-vectorizer handles their scalar form, so once compiled they lose little or nothing. A
     * loss's gradient update over batch × classes values (1,280 for 128 × 10) is one of these.
     */
    static final int MAX_SIMPLE_LENGTH = 4096;

    private ShortArrays() {
    }

    static boolean applies(int n) {
        return n < MAX_LENGTH;
    }

    static boolean appliesToSimpleLoop(int n) {
        return n < MAX_SIMPLE_LENGTH;
    }

    /** {@link VectorReductions#sum}'s result by scalar arithmetic. */
    static float sum(float[] x, int n) {
        return tree(x, null, n, 0, LANES);
    }

    /** {@link VectorReductions#dot}'s result by scalar arithmetic. */
    static float dot(float[] a, float[] b, int n) {
        return tree(a, b, n, 0, LANES);
    }

    /*
     * The vector code keeps four accumulators s0..s3; block b of 4·LANES values adds its k-th vector to
     * s_k, and the values after the last whole block are added to s0 one (masked) vector at a time. Then
     * t = (s0 + s1) + (s2 + s3), and t's lanes are added pairwise (lane i with lane i XOR 2^k), which
     * leaves in lane 0 the balanced tree over the lanes: tree(lo, n) = tree(lo, n/2) + tree(lo + n/2, n/2).
     * No accumulator lane is ever −0 (they start at +0), so a masked lane's +0 changes nothing.
     */

    private static float tree(float[] a, float[] b, int n, int lo, int lanes) {
        if (lanes > 1) return tree(a, b, n, lo, lanes / 2) + tree(a, b, n, lo + lanes / 2, lanes / 2);
        int blocks = n < 4 * LANES ? 0 : (n - 4 * LANES) / (4 * LANES) + 1;
        int tail = blocks * 4 * LANES;
        float s0 = accumulate(a, b, lo, tail, 4 * LANES, 0f);
        s0 = accumulate(a, b, tail + lo, n, LANES, s0);
        float s1 = accumulate(a, b, LANES + lo, tail, 4 * LANES, 0f);
        float s2 = accumulate(a, b, 2 * LANES + lo, tail, 4 * LANES, 0f);
        float s3 = accumulate(a, b, 3 * LANES + lo, tail, 4 * LANES, 0f);
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code acc} plus the values (or, with b, the fused products) at from, from + step, … below to, in order. */
    private static float accumulate(float[] a, float[] b, int from, int to, int step, float acc) {
        for (int i = from; i < to; i += step) acc = b == null ? acc + a[i] : Math.fma(a[i], b[i], acc);
        return acc;
    }
}
