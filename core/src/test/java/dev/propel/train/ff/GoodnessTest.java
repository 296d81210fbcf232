package dev.propel.train.ff;

import dev.propel.kernel.KernelsProvider;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoodnessTest {
    private static final float[] Y = {1, 2, 0, 2, /* */ 0, 0, 3, 0};

    @Test
    void sumAndMeanOfSquares() {
        float[] g = new float[2];
        Goodness.SUM.compute(KernelsProvider.scalar(), Y, 2, 4, g);
        assertArrayEquals(new float[]{9, 9}, g);
        Goodness.MEAN.compute(KernelsProvider.scalar(), Y, 2, 4, g);
        assertArrayEquals(new float[]{2.25f, 2.25f}, g);
    }

    @Test
    void thresholdIsPerUnitSoTheScalesCannotBeMixed() {
        assertEquals(2000f, Goodness.SUM.layerThreshold(1f, 2000)); // Hinton: θ = layer width
        assertEquals(1f, Goodness.MEAN.layerThreshold(1f, 2000));
        assertEquals(1f, Goodness.SUM.scale(500));
        assertEquals(1f / 500, Goodness.MEAN.scale(500));
    }

    @Test
    void parsing() {
        assertEquals(Goodness.MEAN, Goodness.parse(" Mean"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Goodness.parse("max"));
        assertTrue(e.getMessage().contains("'max'") && e.getMessage().contains("'sum'"), e.getMessage());
        assertEquals(PredictionRule.SOFTMAX, PredictionRule.parse("softmax"));
        assertEquals(NegativeLabels.HARD, NegativeLabels.parse("hard"));
        assertEquals(LayerSchedule.GREEDY, LayerSchedule.parse("greedy"));
        assertThrows(IllegalArgumentException.class, () -> PredictionRule.parse("vote"));
    }
}
