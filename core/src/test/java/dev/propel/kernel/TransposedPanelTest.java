package dev.propel.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link TransposedPanel}: the register transpose puts every value where the value-by-value loop does. */
class TransposedPanelTest {

    @Test
    void packsEveryValueOfLanesRowsIntoItsPanelPlace() {
        int lanes = VectorGemm.LANES;
        assertEquals(lanes == 8 || lanes == 16, TransposedPanel.supported(), "register transposes exist for 8 and 16 lanes");
        if (!TransposedPanel.supported()) {
            return; // VectorGemm packs value by value at this width (VectorGemmTest covers it)
        }
        int ldb = 3 * lanes + 5;
        int width = 2 * lanes;
        for (int kc : new int[] {1, lanes - 1, lanes, 2 * lanes + 3}) {
            float[] b = new float[7 + lanes * ldb];
            for (int i = 0; i < b.length; i++) {
                b[i] = i;
            }
            float[] packed = new float[3 + kc * width];
            TransposedPanel.pack(b, 7, ldb, kc, packed, 3, width);
            for (int p = 0; p < kc; p++) {
                for (int r = 0; r < lanes; r++) {
                    assertEquals(b[7 + r * ldb + p], packed[3 + p * width + r], "kc=" + kc + " p=" + p + " r=" + r);
                }
                for (int r = lanes; r < width; r++) {
                    assertEquals(0f, packed[3 + p * width + r], "the other half of the panel row is left alone");
                }
            }
        }
    }
}
