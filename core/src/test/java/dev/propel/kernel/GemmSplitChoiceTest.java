package dev.propel.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which way {@link VectorGemm} splits a product over threads: the one that packs the smaller shared operand twice. */
class GemmSplitChoiceTest {

    @Test
    void aWideProductOfFewRowsIsSplitByColumnsSoItsLargeRightOperandIsPackedOnce() {
        // dense forward, batch 128 into 512 units (8 × 2 block of 16 lanes: 16 row panels, 16 column panels)
        assertFalse(VectorGemm.splitByRows(128, 512, 16, 16, 2));
    }

    @Test
    void aTallProductIsSplitByRows() {
        assertTrue(VectorGemm.splitByRows(1024, 1024, 128, 32, 2), "square: n <= m");
        assertTrue(VectorGemm.splitByRows(784, 512, 98, 16, 2));
    }

    @Test
    void theSideWithTooFewPanelsForBalancedPartsIsNotSplit() {
        assertFalse(VectorGemm.splitByRows(24, 4096, 3, 128, 2), "3 row panels cannot give 2 even parts");
        assertTrue(VectorGemm.splitByRows(4096, 24, 512, 1, 2));
        assertTrue(VectorGemm.splitByRows(40, 90, 5, 3, 2), "neither fills: the side with more panels, as before");
        assertFalse(VectorGemm.splitByRows(24, 90, 3, 6, 2));
    }

    @Test
    void columnPartsAreEvenToTheVectorLengthSoTheirPackingIsShared() {
        int lanes = VectorGemm.LANES;
        int span = VectorGemm.columnSpan(144, 2);
        assertEquals(0, span % lanes);
        assertTrue(span >= 72 && span < 72 + lanes, "144 columns at 2 threads: about 72 each, got " + span);
        assertEquals(1568, VectorGemm.columnSpan(3136, 2));
        assertEquals(lanes, VectorGemm.columnSpan(lanes + 1, 2), "never a share below one vector");
        assertTrue(VectorGemm.columnSpan(1000, 3) * 3 >= 1000, "the parts cover every column");
    }
}
