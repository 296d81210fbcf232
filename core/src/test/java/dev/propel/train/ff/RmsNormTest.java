package dev.propel.train.ff;

import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RmsNormTest {
    private final Kernels k = KernelsProvider.scalar();

    @Test
    void everyRowGetsMeanSquareOne() {
        float[] x = {3, 4, 0, 0, /* */ 1, 1, 1, 1, /* */ -2, 0, 0, 2};
        float[] out = new float[12];
        RmsNorm.normalizeRows(k, x, 3, 4, out, new float[3]);
        // row 0: rms = √(25/4) = 2.5
        assertArrayEquals(new float[]{1.2f, 1.6f, 0, 0, 1, 1, 1, 1, -1.4142135f, 0, 0, 1.4142135f}, out, 1e-6f);
        float[] ms = new float[3];
        k.rowSumSquares(out, 3, 4, ms);
        for (float m : ms) assertEquals(4f, m, 1e-5f);
    }

    @Test
    void theNextLayerCannotSeeTheGoodnessOfThisOne() {
        // Two activity vectors with the same direction and very different goodness normalise to the same row.
        float[] x = {0.1f, 0.2f, 0.3f, /* */ 10f, 20f, 30f};
        RmsNorm.normalizeRows(k, x, 2, 3, x, new float[2]);
        assertArrayEquals(new float[]{x[0], x[1], x[2]}, new float[]{x[3], x[4], x[5]}, 1e-6f);
    }

    @Test
    void allZeroRowStaysZero() {
        float[] x = {0, 0, 0};
        RmsNorm.normalizeRows(k, x, 1, 3, x, new float[1]);
        assertArrayEquals(new float[]{0, 0, 0}, x);
    }
}
