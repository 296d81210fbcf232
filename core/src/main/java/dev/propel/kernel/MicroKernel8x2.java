package dev.propel.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 8 × 2 register block of {@link VectorGemm} for machines with 32 vector registers (see
 * {@link GemmBlocking}): 16 accumulators, 2 vectors of B and the 8 broadcast values of A, 26 registers.
 * Same contract and operation order as {@code VectorGemm.microKernel}, which does 4 × 2.
 */
final class MicroKernel8x2 {

    private static final VectorSpecies<Float> SPECIES = VectorGemm.SPECIES;
    private static final int LANES = VectorGemm.LANES;
    static final int MR = 8;
    private static final int NR = 2 * LANES;

    private MicroKernel8x2() {
    }

    /**
     * C[0..8)[0..NR) (+)= Σ_p a[p]·b[p] over one k-block: a holds 8 values per p (alpha included),
     * b holds NR values per p. On the first k-block C starts from {@code beta·C}, or from 0 when beta
     * is 0 so that old contents (even NaN) are ignored.
     */
    static void run(float[] a, int aIdx, float[] b, int bIdx, int kc,
                    float[] c, int cIdx, int ldc, boolean first, float beta) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        FloatVector c60, c61, c70, c71;
        int r0 = cIdx;
        int r1 = r0 + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        int r4 = r3 + ldc;
        int r5 = r4 + ldc;
        int r6 = r5 + ldc;
        int r7 = r6 + ldc;
        if (first && beta == 0f) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c00 = zero; c01 = zero; c10 = zero; c11 = zero;
            c20 = zero; c21 = zero; c30 = zero; c31 = zero;
            c40 = zero; c41 = zero; c50 = zero; c51 = zero;
            c60 = zero; c61 = zero; c70 = zero; c71 = zero;
        } else {
            c00 = FloatVector.fromArray(SPECIES, c, r0);
            c01 = FloatVector.fromArray(SPECIES, c, r0 + LANES);
            c10 = FloatVector.fromArray(SPECIES, c, r1);
            c11 = FloatVector.fromArray(SPECIES, c, r1 + LANES);
            c20 = FloatVector.fromArray(SPECIES, c, r2);
            c21 = FloatVector.fromArray(SPECIES, c, r2 + LANES);
            c30 = FloatVector.fromArray(SPECIES, c, r3);
            c31 = FloatVector.fromArray(SPECIES, c, r3 + LANES);
            c40 = FloatVector.fromArray(SPECIES, c, r4);
            c41 = FloatVector.fromArray(SPECIES, c, r4 + LANES);
            c50 = FloatVector.fromArray(SPECIES, c, r5);
            c51 = FloatVector.fromArray(SPECIES, c, r5 + LANES);
            c60 = FloatVector.fromArray(SPECIES, c, r6);
            c61 = FloatVector.fromArray(SPECIES, c, r6 + LANES);
            c70 = FloatVector.fromArray(SPECIES, c, r7);
            c71 = FloatVector.fromArray(SPECIES, c, r7 + LANES);
            if (first) {
                c00 = c00.mul(beta); c01 = c01.mul(beta); c10 = c10.mul(beta); c11 = c11.mul(beta);
                c20 = c20.mul(beta); c21 = c21.mul(beta); c30 = c30.mul(beta); c31 = c31.mul(beta);
                c40 = c40.mul(beta); c41 = c41.mul(beta); c50 = c50.mul(beta); c51 = c51.mul(beta);
                c60 = c60.mul(beta); c61 = c61.mul(beta); c70 = c70.mul(beta); c71 = c71.mul(beta);
            }
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bIdx);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bIdx + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[aIdx]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 1]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 2]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 3]);
            c30 = b0.fma(av, c30);
            c31 = b1.fma(av, c31);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 4]);
            c40 = b0.fma(av, c40);
            c41 = b1.fma(av, c41);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 5]);
            c50 = b0.fma(av, c50);
            c51 = b1.fma(av, c51);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 6]);
            c60 = b0.fma(av, c60);
            c61 = b1.fma(av, c61);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 7]);
            c70 = b0.fma(av, c70);
            c71 = b1.fma(av, c71);
            aIdx += 8;
            bIdx += NR;
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + LANES);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + LANES);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + LANES);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + LANES);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + LANES);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + LANES);
        c60.intoArray(c, r6);
        c61.intoArray(c, r6 + LANES);
        c70.intoArray(c, r7);
        c71.intoArray(c, r7 + LANES);
    }
}
