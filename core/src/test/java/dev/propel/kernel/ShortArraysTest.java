package dev.propel.kernel;

import static dev.propel.kernel.KernelAssertions.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ShortArrays}' scalar sums give the bits of {@link VectorReductions}' vector code at every length
 * they take, at this JVM's vector width (the build runs it at 128, 256 and 512 bits), so that taking the
 * scalar path changes no result. Values spread over many magnitudes, so that another order of addition
 * shows in the last bits; special values (±∞, NaN, ±0) mixed in on some trials.
 */
class ShortArraysTest {

    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -1e30f, 1e30f};

    @Test
    void sumsAndDotsGiveTheVectorCodesBitsAtEveryShortLength() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n = 0; n < ShortArrays.MAX_LENGTH; n++) {
            assertTrue(ShortArrays.applies(n));
            for (int trial = 0; trial < 6; trial++) {
                float[] a = values(random, n, trial);
                float[] b = values(random, n, trial + 1);
                String at = " n=" + n + " trial=" + trial;
                assertEquals(Float.floatToIntBits(VectorReductions.vectorSum(a, n)),
                        Float.floatToIntBits(ShortArrays.sum(a, n)), "sum" + at);
                assertEquals(Float.floatToIntBits(VectorReductions.vectorDot(a, b, n)),
                        Float.floatToIntBits(ShortArrays.dot(a, b, n)), "dot" + at);
            }
        }
        assertFalse(ShortArrays.applies(ShortArrays.MAX_LENGTH));
    }

    @Test
    void firstNonFiniteFindsTheFirstNanOrInfinity() {
        float[] x = {1f, 2f, Float.NEGATIVE_INFINITY, Float.NaN};
        assertEquals(2, VectorReductions.firstNonFinite(x, 4));
        assertEquals(-1, VectorReductions.firstNonFinite(x, 2));
        x[1] = Float.NaN;
        assertEquals(1, VectorReductions.firstNonFinite(x, 4));
    }

    /** n values times powers of two from 2^-20 to 2^20 (+ a few special values on odd trials), and 3 spare. */
    private static float[] values(SplittableRandom random, int n, int trial) {
        float[] x = uniform(random, n + 3, -1, 1);
        for (int i = 0; i < x.length; i++) x[i] *= (float) Math.scalb(1.0, random.nextInt(-20, 21));
        if (trial % 2 == 1 && n > 0) {
            x[random.nextInt(n)] = SPECIAL[random.nextInt(SPECIAL.length)];
        }
        return x;
    }
}
