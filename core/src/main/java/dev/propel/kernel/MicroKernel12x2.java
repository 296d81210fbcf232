package dev.propel.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 12 × 2 register block of {@link VectorGemm} for machines with 32 vector registers (see
 * {@link GemmBlocking}): 24 accumulators, 2 vectors of B and the broadcast value of A, 27 registers.
 * Same contract and operation order as {@code VectorGemm.microKernel}, which does 6 × 2.
 */
final class MicroKernel12x2 {

    private static final VectorSpecies<Float> SPECIES = VectorGemm.SPECIES;
    private static final int LANES = VectorGemm.LANES;
    static final int MR = 12;
    private static final int NR = 2 * LANES;

    private MicroKernel12x2() {
    }

    /**
     * C[0..12)[0..NR) (+)= Σ_p a[p]·b[p] over one k-block: a holds 12 values per p (alpha included),
     * b holds NR values per p. On the first k-block C starts from {@code beta·C}, or from 0 when beta
     * is 0 so that old contents (even NaN) are ignored.
     */
    static void run(float[] a, int aIdx, float[] b, int bIdx, int kc,
                    float[] c, int cIdx, int ldc, boolean first, float beta) {
        FloatVector c000, c001, c010, c011, c020, c021, c030, c031, c040, c041, c050, c051;
        FloatVector c060, c061, c070, c071, c080, c081, c090, c091, c100, c101, c110, c111;
        int r0 = cIdx;
        int r1 = r0 + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        int r4 = r3 + ldc;
        int r5 = r4 + ldc;
        int r6 = r5 + ldc;
        int r7 = r6 + ldc;
        int r8 = r7 + ldc;
        int r9 = r8 + ldc;
        int r10 = r9 + ldc;
        int r11 = r10 + ldc;
        if (first && beta == 0f) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c000 = zero; c001 = zero; c010 = zero; c011 = zero; c020 = zero; c021 = zero;
            c030 = zero; c031 = zero; c040 = zero; c041 = zero; c050 = zero; c051 = zero;
            c060 = zero; c061 = zero; c070 = zero; c071 = zero; c080 = zero; c081 = zero;
            c090 = zero; c091 = zero; c100 = zero; c101 = zero; c110 = zero; c111 = zero;
        } else {
            c000 = FloatVector.fromArray(SPECIES, c, r0);
            c001 = FloatVector.fromArray(SPECIES, c, r0 + LANES);
            c010 = FloatVector.fromArray(SPECIES, c, r1);
            c011 = FloatVector.fromArray(SPECIES, c, r1 + LANES);
            c020 = FloatVector.fromArray(SPECIES, c, r2);
            c021 = FloatVector.fromArray(SPECIES, c, r2 + LANES);
            c030 = FloatVector.fromArray(SPECIES, c, r3);
            c031 = FloatVector.fromArray(SPECIES, c, r3 + LANES);
            c040 = FloatVector.fromArray(SPECIES, c, r4);
            c041 = FloatVector.fromArray(SPECIES, c, r4 + LANES);
            c050 = FloatVector.fromArray(SPECIES, c, r5);
            c051 = FloatVector.fromArray(SPECIES, c, r5 + LANES);
            c060 = FloatVector.fromArray(SPECIES, c, r6);
            c061 = FloatVector.fromArray(SPECIES, c, r6 + LANES);
            c070 = FloatVector.fromArray(SPECIES, c, r7);
            c071 = FloatVector.fromArray(SPECIES, c, r7 + LANES);
            c080 = FloatVector.fromArray(SPECIES, c, r8);
            c081 = FloatVector.fromArray(SPECIES, c, r8 + LANES);
            c090 = FloatVector.fromArray(SPECIES, c, r9);
            c091 = FloatVector.fromArray(SPECIES, c, r9 + LANES);
            c100 = FloatVector.fromArray(SPECIES, c, r10);
            c101 = FloatVector.fromArray(SPECIES, c, r10 + LANES);
            c110 = FloatVector.fromArray(SPECIES, c, r11);
            c111 = FloatVector.fromArray(SPECIES, c, r11 + LANES);
            if (first) {
                c000 = c000.mul(beta); c001 = c001.mul(beta); c010 = c010.mul(beta); c011 = c011.mul(beta);
                c020 = c020.mul(beta); c021 = c021.mul(beta); c030 = c030.mul(beta); c031 = c031.mul(beta);
                c040 = c040.mul(beta); c041 = c041.mul(beta); c050 = c050.mul(beta); c051 = c051.mul(beta);
                c060 = c060.mul(beta); c061 = c061.mul(beta); c070 = c070.mul(beta); c071 = c071.mul(beta);
                c080 = c080.mul(beta); c081 = c081.mul(beta); c090 = c090.mul(beta); c091 = c091.mul(beta);
                c100 = c100.mul(beta); c101 = c101.mul(beta); c110 = c110.mul(beta); c111 = c111.mul(beta);
            }
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bIdx);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bIdx + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[aIdx]);
            c000 = b0.fma(av, c000);
            c001 = b1.fma(av, c001);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 1]);
            c010 = b0.fma(av, c010);
            c011 = b1.fma(av, c011);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 2]);
            c020 = b0.fma(av, c020);
            c021 = b1.fma(av, c021);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 3]);
            c030 = b0.fma(av, c030);
            c031 = b1.fma(av, c031);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 4]);
            c040 = b0.fma(av, c040);
            c041 = b1.fma(av, c041);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 5]);
            c050 = b0.fma(av, c050);
            c051 = b1.fma(av, c051);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 6]);
            c060 = b0.fma(av, c060);
            c061 = b1.fma(av, c061);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 7]);
            c070 = b0.fma(av, c070);
            c071 = b1.fma(av, c071);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 8]);
            c080 = b0.fma(av, c080);
            c081 = b1.fma(av, c081);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 9]);
            c090 = b0.fma(av, c090);
            c091 = b1.fma(av, c091);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 10]);
            c100 = b0.fma(av, c100);
            c101 = b1.fma(av, c101);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 11]);
            c110 = b0.fma(av, c110);
            c111 = b1.fma(av, c111);
            aIdx += MR;
            bIdx += NR;
        }
        c000.intoArray(c, r0);
        c001.intoArray(c, r0 + LANES);
        c010.intoArray(c, r1);
        c011.intoArray(c, r1 + LANES);
        c020.intoArray(c, r2);
        c021.intoArray(c, r2 + LANES);
        c030.intoArray(c, r3);
        c031.intoArray(c, r3 + LANES);
        c040.intoArray(c, r4);
        c041.intoArray(c, r4 + LANES);
        c050.intoArray(c, r5);
        c051.intoArray(c, r5 + LANES);
        c060.intoArray(c, r6);
        c061.intoArray(c, r6 + LANES);
        c070.intoArray(c, r7);
        c071.intoArray(c, r7 + LANES);
        c080.intoArray(c, r8);
        c081.intoArray(c, r8 + LANES);
        c090.intoArray(c, r9);
        c091.intoArray(c, r9 + LANES);
        c100.intoArray(c, r10);
        c101.intoArray(c, r10 + LANES);
        c110.intoArray(c, r11);
        c111.intoArray(c, r11 + LANES);
    }
}
