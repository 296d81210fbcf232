package dev.propel.data;

import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddingProblemTest {

    @Test
    void eachSequenceHasOneMarkerPerHalfAndTheTargetIsTheSumOfTheMarkedValues() {
        TrainTest data = DataSources.resolve("adding:7");
        assertEquals(AddingProblem.TRAIN_SIZE, data.train().size());
        assertEquals(AddingProblem.TEST_SIZE, data.test().size());
        for (Dataset d : new Dataset[] {data.train(), data.test()}) {
            assertFalse(d.isClassification());
            assertArrayEquals(new int[] {7, 2}, d.featureShape().dims());
            float[] x = d.features().data(), y = d.targets().data();
            for (int i = 0; i < d.size(); i++) {
                int first = -1, second = -1;
                double sum = 0;
                for (int t = 0; t < 7; t++) {
                    float value = x[i * 14 + 2 * t], marker = x[i * 14 + 2 * t + 1];
                    assertTrue(value >= 0 && value < 1, "value " + value);
                    assertTrue(marker == 0f || marker == 1f, "marker " + marker);
                    if (marker == 1f) {
                        if (t < 3) first = t; else second = t;
                        sum += value;
                    }
                }
                assertTrue(first >= 0 && second >= 3, "example " + i + ": one marker in [0, 3) and one in [3, 7)");
                assertEquals((float) sum, y[i], 1e-6, "example " + i);
            }
        }
    }

    /** The baseline of the docs: predicting 1 gives a mean squared error of about 1/6. */
    @Test
    void alwaysPredictingOneGivesTheBaselineMse() {
        Tensor y = DataSources.resolve("adding:50").train().targets();
        double se = 0;
        for (float v : y.data()) se += (v - 1) * (v - 1);
        assertEquals(AddingProblem.BASELINE_MSE, se / y.size(), 0.01);
    }

    @Test
    void theSameSeedGivesTheSameDataAndAnotherSeedOther() {
        float[] a = DataSources.resolve("adding:10").train().features().data();
        assertArrayEquals(a, DataSources.resolve("adding:10:1").train().features().data());
        assertFalse(java.util.Arrays.equals(a, DataSources.resolve("adding:10:2").train().features().data()));
    }

    @Test
    void badSpecsAreRefusedWithWhatToWrite() {
        for (String spec : new String[] {"adding:x", "adding:", "adding:10:y", "adding:1:2:3"}) {
            DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> DataSources.resolve(spec));
            assertTrue(e.getMessage().contains("'adding:T'"), e.getMessage());
        }
        assertTrue(assertThrows(DataNotFoundException.class, () -> DataSources.resolve("adding:1")).getMessage()
                .contains("at least 2 steps"));
        assertTrue(assertThrows(DataNotFoundException.class, () -> DataSources.resolve("adding:0")).getMessage()
                .contains("got T = 0"));
        assertTrue(assertThrows(DataNotFoundException.class, () -> DataSources.resolve("adding:500000")).getMessage()
                .contains("choose a shorter T"));
    }
}
