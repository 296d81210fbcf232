package dev.propel.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs one full NR-wide panel of a transposed B ({@code op(B)[p][j] = b[j][p]}) for {@link VectorGemm}: LANES
 * stored rows at a time, LANES values of p at a time, transposed in registers. Loading LANES vectors along p
 * and exchanging their lanes in log₂(LANES) rounds of two-vector shuffles replaces LANES² scalar loads and
 * stores, each store to another cache line, with LANES loads, LANES stores and a few shuffles per value — a
 * convolution's weight gradient packs a column matrix this way (16 × 144 × 3136 in resnet-small). A copy:
 * the panel holds the same values as the scalar loop's, so the product keeps its bits.
 *
 * <p>Round {@code s} (s = 1, 2, 4, …) pairs rows {@code i} and {@code i + s} (bit s of i clear) and swaps bit s
 * of the row index with bit s of the lane index: {@code lo[l] = l & s ? b_{i+s}[l − s] : b_i[l]},
 * {@code hi[l] = l & s ? b_{i+s}[l] : b_i[l + s]}. After every bit is swapped, row r holds lane r of each
 * input: the transpose. Written out for 16 and 8 lanes; other lengths pack with the scalar loop.
 */
final class TransposedPanel {
    private static final VectorSpecies<Float> SPECIES = VectorGemm.SPECIES;
    private static final int LANES = VectorGemm.LANES;

    private static final VectorShuffle<Float> LO1 = round(1, false);
    private static final VectorShuffle<Float> HI1 = round(1, true);
    private static final VectorShuffle<Float> LO2 = round(2, false);
    private static final VectorShuffle<Float> HI2 = round(2, true);
    private static final VectorShuffle<Float> LO4 = round(4, false);
    private static final VectorShuffle<Float> HI4 = round(4, true);
    private static final VectorShuffle<Float> LO8 = round(8, false);
    private static final VectorShuffle<Float> HI8 = round(8, true);

    private TransposedPanel() {
    }

    /** Whether this vector length has a register transpose; otherwise {@link VectorGemm} packs value by value. */
    static boolean supported() {
        return LANES == 16 || LANES == 8;
    }

    /** The shuffle of one round for the rearrange of two vectors (indexes ≥ LANES select from the second one). */
    private static VectorShuffle<Float> round(int s, boolean hi) {
        if (s >= LANES) {
            return null;
        }
        int[] index = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            boolean upper = (l & s) != 0;
            index[l] = hi ? (upper ? LANES + l : l + s) : (upper ? LANES + l - s : l);
        }
        return VectorShuffle.fromArray(SPECIES, index, 0);
    }

    /**
     * Packs LANES stored rows of B, from {@code b[src]} on, {@code ldb} apart, values {@code [0, kc)} of each, into
     * the first LANES places of the panel rows, {@code width} floats apart:
     * {@code packed[dst + p·width + r] = b[src + r·ldb + p]}.
     */
    static void pack(float[] b, int src, int ldb, int kc, float[] packed, int dst, int width) {
        int p = 0;
        for (int bound = kc - LANES; p <= bound; p += LANES) {
            if (LANES == 16) {
                block16(b, src + p, ldb, packed, dst + p * width, width);
            } else {
                block8(b, src + p, ldb, packed, dst + p * width, width);
            }
        }
        for (; p < kc; p++) {
            for (int r = 0; r < LANES; r++) {
                packed[dst + p * width + r] = b[src + r * ldb + p];
            }
        }
    }

    private static FloatVector load(float[] b, int at) {
        return FloatVector.fromArray(SPECIES, b, at);
    }

    private static void block16(float[] b, int s, int ldb, float[] out, int d, int width) {
        FloatVector v0 = load(b, s), v1 = load(b, s + ldb), v2 = load(b, s + 2 * ldb), v3 = load(b, s + 3 * ldb);
        FloatVector v4 = load(b, s + 4 * ldb), v5 = load(b, s + 5 * ldb), v6 = load(b, s + 6 * ldb);
        FloatVector v7 = load(b, s + 7 * ldb), v8 = load(b, s + 8 * ldb), v9 = load(b, s + 9 * ldb);
        FloatVector v10 = load(b, s + 10 * ldb), v11 = load(b, s + 11 * ldb), v12 = load(b, s + 12 * ldb);
        FloatVector v13 = load(b, s + 13 * ldb), v14 = load(b, s + 14 * ldb), v15 = load(b, s + 15 * ldb);
        FloatVector t0, t1;
        // round 8: rows i, i + 8
        t0 = v0.rearrange(LO8, v8); t1 = v0.rearrange(HI8, v8); v0 = t0; v8 = t1;
        t0 = v1.rearrange(LO8, v9); t1 = v1.rearrange(HI8, v9); v1 = t0; v9 = t1;
        t0 = v2.rearrange(LO8, v10); t1 = v2.rearrange(HI8, v10); v2 = t0; v10 = t1;
        t0 = v3.rearrange(LO8, v11); t1 = v3.rearrange(HI8, v11); v3 = t0; v11 = t1;
        t0 = v4.rearrange(LO8, v12); t1 = v4.rearrange(HI8, v12); v4 = t0; v12 = t1;
        t0 = v5.rearrange(LO8, v13); t1 = v5.rearrange(HI8, v13); v5 = t0; v13 = t1;
        t0 = v6.rearrange(LO8, v14); t1 = v6.rearrange(HI8, v14); v6 = t0; v14 = t1;
        t0 = v7.rearrange(LO8, v15); t1 = v7.rearrange(HI8, v15); v7 = t0; v15 = t1;
        // round 4: rows i, i + 4
        t0 = v0.rearrange(LO4, v4); t1 = v0.rearrange(HI4, v4); v0 = t0; v4 = t1;
        t0 = v1.rearrange(LO4, v5); t1 = v1.rearrange(HI4, v5); v1 = t0; v5 = t1;
        t0 = v2.rearrange(LO4, v6); t1 = v2.rearrange(HI4, v6); v2 = t0; v6 = t1;
        t0 = v3.rearrange(LO4, v7); t1 = v3.rearrange(HI4, v7); v3 = t0; v7 = t1;
        t0 = v8.rearrange(LO4, v12); t1 = v8.rearrange(HI4, v12); v8 = t0; v12 = t1;
        t0 = v9.rearrange(LO4, v13); t1 = v9.rearrange(HI4, v13); v9 = t0; v13 = t1;
        t0 = v10.rearrange(LO4, v14); t1 = v10.rearrange(HI4, v14); v10 = t0; v14 = t1;
        t0 = v11.rearrange(LO4, v15); t1 = v11.rearrange(HI4, v15); v11 = t0; v15 = t1;
        // round 2: rows i, i + 2
        t0 = v0.rearrange(LO2, v2); t1 = v0.rearrange(HI2, v2); v0 = t0; v2 = t1;
        t0 = v1.rearrange(LO2, v3); t1 = v1.rearrange(HI2, v3); v1 = t0; v3 = t1;
        t0 = v4.rearrange(LO2, v6); t1 = v4.rearrange(HI2, v6); v4 = t0; v6 = t1;
        t0 = v5.rearrange(LO2, v7); t1 = v5.rearrange(HI2, v7); v5 = t0; v7 = t1;
        t0 = v8.rearrange(LO2, v10); t1 = v8.rearrange(HI2, v10); v8 = t0; v10 = t1;
        t0 = v9.rearrange(LO2, v11); t1 = v9.rearrange(HI2, v11); v9 = t0; v11 = t1;
        t0 = v12.rearrange(LO2, v14); t1 = v12.rearrange(HI2, v14); v12 = t0; v14 = t1;
        t0 = v13.rearrange(LO2, v15); t1 = v13.rearrange(HI2, v15); v13 = t0; v15 = t1;
        // round 1: rows i, i + 1
        t0 = v0.rearrange(LO1, v1); t1 = v0.rearrange(HI1, v1); v0 = t0; v1 = t1;
        t0 = v2.rearrange(LO1, v3); t1 = v2.rearrange(HI1, v3); v2 = t0; v3 = t1;
        t0 = v4.rearrange(LO1, v5); t1 = v4.rearrange(HI1, v5); v4 = t0; v5 = t1;
        t0 = v6.rearrange(LO1, v7); t1 = v6.rearrange(HI1, v7); v6 = t0; v7 = t1;
        t0 = v8.rearrange(LO1, v9); t1 = v8.rearrange(HI1, v9); v8 = t0; v9 = t1;
        t0 = v10.rearrange(LO1, v11); t1 = v10.rearrange(HI1, v11); v10 = t0; v11 = t1;
        t0 = v12.rearrange(LO1, v13); t1 = v12.rearrange(HI1, v13); v12 = t0; v13 = t1;
        t0 = v14.rearrange(LO1, v15); t1 = v14.rearrange(HI1, v15); v14 = t0; v15 = t1;
        v0.intoArray(out, d); v1.intoArray(out, d + width); v2.intoArray(out, d + 2 * width);
        v3.intoArray(out, d + 3 * width); v4.intoArray(out, d + 4 * width); v5.intoArray(out, d + 5 * width);
        v6.intoArray(out, d + 6 * width); v7.intoArray(out, d + 7 * width); v8.intoArray(out, d + 8 * width);
        v9.intoArray(out, d + 9 * width);
        v10.intoArray(out, d + 10 * width); v11.intoArray(out, d + 11 * width); v12.intoArray(out, d + 12 * width);
        v13.intoArray(out, d + 13 * width); v14.intoArray(out, d + 14 * width); v15.intoArray(out, d + 15 * width);
    }

    private static void block8(float[] b, int s, int ldb, float[] out, int d, int width) {
        FloatVector v0 = load(b, s), v1 = load(b, s + ldb), v2 = load(b, s + 2 * ldb), v3 = load(b, s + 3 * ldb);
        FloatVector v4 = load(b, s + 4 * ldb), v5 = load(b, s + 5 * ldb), v6 = load(b, s + 6 * ldb);
        FloatVector v7 = load(b, s + 7 * ldb);
        FloatVector t0, t1;
        t0 = v0.rearrange(LO4, v4); t1 = v0.rearrange(HI4, v4); v0 = t0; v4 = t1;
        t0 = v1.rearrange(LO4, v5); t1 = v1.rearrange(HI4, v5); v1 = t0; v5 = t1;
        t0 = v2.rearrange(LO4, v6); t1 = v2.rearrange(HI4, v6); v2 = t0; v6 = t1;
        t0 = v3.rearrange(LO4, v7); t1 = v3.rearrange(HI4, v7); v3 = t0; v7 = t1;
        t0 = v0.rearrange(LO2, v2); t1 = v0.rearrange(HI2, v2); v0 = t0; v2 = t1;
        t0 = v1.rearrange(LO2, v3); t1 = v1.rearrange(HI2, v3); v1 = t0; v3 = t1;
        t0 = v4.rearrange(LO2, v6); t1 = v4.rearrange(HI2, v6); v4 = t0; v6 = t1;
        t0 = v5.rearrange(LO2, v7); t1 = v5.rearrange(HI2, v7); v5 = t0; v7 = t1;
        t0 = v0.rearrange(LO1, v1); t1 = v0.rearrange(HI1, v1); v0 = t0; v1 = t1;
        t0 = v2.rearrange(LO1, v3); t1 = v2.rearrange(HI1, v3); v2 = t0; v3 = t1;
        t0 = v4.rearrange(LO1, v5); t1 = v4.rearrange(HI1, v5); v4 = t0; v5 = t1;
        t0 = v6.rearrange(LO1, v7); t1 = v6.rearrange(HI1, v7); v6 = t0; v7 = t1;
        v0.intoArray(out, d); v1.intoArray(out, d + width); v2.intoArray(out, d + 2 * width);
        v3.intoArray(out, d + 3 * width); v4.intoArray(out, d + 4 * width); v5.intoArray(out, d + 5 * width);
        v6.intoArray(out, d + 6 * width); v7.intoArray(out, d + 7 * width);
    }
}
