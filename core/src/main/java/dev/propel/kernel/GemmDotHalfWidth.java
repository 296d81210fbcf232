package dev.propel.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link GemmDot} order with vectors of half its {@link GemmDot#WIDTH} partial sums (8 float lanes:
 * AVX2, or AVX-512 limited to 256 bits): the low vector holds the sums 0..7, the high one 8..15, so each
 * lane performs exactly the scalar reference's operations. Four columns of C at a time: 8 accumulators
 * and 2 vectors of A, 10 vector registers.
 *
 * <p>The vectors are stored right here rather than in a helper method: a vector passed to a method that
 * the JIT does not inline is boxed, an allocation per element of C.
 */
final class GemmDotHalfWidth {

    private static final VectorSpecies<Float> SPECIES = VectorGemm.SPECIES;
    private static final int LANES = VectorGemm.LANES;
    private static final int WIDTH = GemmDot.WIDTH;

    private GemmDotHalfWidth() {
    }

    /** Whether this JVM's vectors hold half of the partial sums. */
    static boolean applies() {
        return 2 * LANES == WIDTH;
    }

    /** Columns [j0, j1) of the dot-order product; {@code s} is scratch space of at least WIDTH floats. */
    static void columns(float[] s, int m, int j0, int j1, int k, float alpha, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int bound = k / WIDTH * WIDTH;
        // Lanes past k load 0, and fma(0, 0, s) = s here: a partial sum is never −0.
        VectorMask<Float> tailLo = SPECIES.indexInRange(bound, k);
        VectorMask<Float> tailHi = SPECIES.indexInRange(bound + LANES, k);
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * lda;
            int cRow = cOff + i * ldc;
            int j = j0;
            for (; j + 4 <= j1; j += 4) {
                int b0 = bOff + j * ldb;
                int b1 = b0 + ldb;
                int b2 = b1 + ldb;
                int b3 = b2 + ldb;
                FloatVector s0 = FloatVector.zero(SPECIES);
                FloatVector h0 = s0;
                FloatVector s1 = s0;
                FloatVector h1 = s0;
                FloatVector s2 = s0;
                FloatVector h2 = s0;
                FloatVector s3 = s0;
                FloatVector h3 = s0;
                for (int p = 0; p < bound; p += WIDTH) {
                    FloatVector lo = FloatVector.fromArray(SPECIES, a, aRow + p);
                    FloatVector hi = FloatVector.fromArray(SPECIES, a, aRow + p + LANES);
                    s0 = lo.fma(FloatVector.fromArray(SPECIES, b, b0 + p), s0);
                    h0 = hi.fma(FloatVector.fromArray(SPECIES, b, b0 + p + LANES), h0);
                    s1 = lo.fma(FloatVector.fromArray(SPECIES, b, b1 + p), s1);
                    h1 = hi.fma(FloatVector.fromArray(SPECIES, b, b1 + p + LANES), h1);
                    s2 = lo.fma(FloatVector.fromArray(SPECIES, b, b2 + p), s2);
                    h2 = hi.fma(FloatVector.fromArray(SPECIES, b, b2 + p + LANES), h2);
                    s3 = lo.fma(FloatVector.fromArray(SPECIES, b, b3 + p), s3);
                    h3 = hi.fma(FloatVector.fromArray(SPECIES, b, b3 + p + LANES), h3);
                }
                if (bound < k) {
                    int p = bound;
                    FloatVector lo = FloatVector.fromArray(SPECIES, a, aRow + p, tailLo);
                    FloatVector hi = FloatVector.fromArray(SPECIES, a, aRow + p + LANES, tailHi);
                    s0 = lo.fma(FloatVector.fromArray(SPECIES, b, b0 + p, tailLo), s0);
                    h0 = hi.fma(FloatVector.fromArray(SPECIES, b, b0 + p + LANES, tailHi), h0);
                    s1 = lo.fma(FloatVector.fromArray(SPECIES, b, b1 + p, tailLo), s1);
                    h1 = hi.fma(FloatVector.fromArray(SPECIES, b, b1 + p + LANES, tailHi), h1);
                    s2 = lo.fma(FloatVector.fromArray(SPECIES, b, b2 + p, tailLo), s2);
                    h2 = hi.fma(FloatVector.fromArray(SPECIES, b, b2 + p + LANES, tailHi), h2);
                    s3 = lo.fma(FloatVector.fromArray(SPECIES, b, b3 + p, tailLo), s3);
                    h3 = hi.fma(FloatVector.fromArray(SPECIES, b, b3 + p + LANES, tailHi), h3);
                }
                s0.intoArray(s, 0);
                h0.intoArray(s, LANES);
                GemmDot.store(s, alpha, beta, c, cRow + j);
                s1.intoArray(s, 0);
                h1.intoArray(s, LANES);
                GemmDot.store(s, alpha, beta, c, cRow + j + 1);
                s2.intoArray(s, 0);
                h2.intoArray(s, LANES);
                GemmDot.store(s, alpha, beta, c, cRow + j + 2);
                s3.intoArray(s, 0);
                h3.intoArray(s, LANES);
                GemmDot.store(s, alpha, beta, c, cRow + j + 3);
            }
            for (; j < j1; j++) {
                int b0 = bOff + j * ldb;
                FloatVector s0 = FloatVector.zero(SPECIES);
                FloatVector h0 = s0;
                for (int p = 0; p < bound; p += WIDTH) {
                    s0 = FloatVector.fromArray(SPECIES, a, aRow + p).fma(FloatVector.fromArray(SPECIES, b, b0 + p), s0);
                    h0 = FloatVector.fromArray(SPECIES, a, aRow + p + LANES)
                            .fma(FloatVector.fromArray(SPECIES, b, b0 + p + LANES), h0);
                }
                if (bound < k) {
                    int p = bound;
                    s0 = FloatVector.fromArray(SPECIES, a, aRow + p, tailLo)
                            .fma(FloatVector.fromArray(SPECIES, b, b0 + p, tailLo), s0);
                    h0 = FloatVector.fromArray(SPECIES, a, aRow + p + LANES, tailHi)
                            .fma(FloatVector.fromArray(SPECIES, b, b0 + p + LANES, tailHi), h0);
                }
                s0.intoArray(s, 0);
                h0.intoArray(s, LANES);
                GemmDot.store(s, alpha, beta, c, cRow + j);
            }
        }
    }
}
