package dev.propel.train.ff;

import dev.propel.data.Dataset;
import dev.propel.kernel.KernelsProvider;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelEmbeddingTest {
    private static final float[] IMAGES = {
            0.5f, 0.5f, 0.5f, 0.7f, 0.8f,
            0.1f, 0.2f, 0.3f, 0.4f, 0.9f};

    @Test
    void oneHotLabelReplacesTheFirstFeaturesAndTheRestIsCopied() {
        LabelEmbedding e = new LabelEmbedding(3, 2f);
        float[] out = new float[3 * 5];
        e.embed(IMAGES, 2, 5, new int[]{2, 0}, out, 1);
        assertArrayEquals(new float[]{
                0, 0, 0, 0, 0,
                0, 0, 2, 0.7f, 0.8f,
                2, 0, 0, 0.4f, 0.9f}, out);
    }

    @Test
    void neutralLabelSpreadsTheStrengthOverTheLabelFeatures() {
        LabelEmbedding e = new LabelEmbedding(4, 1f);
        float[] out = new float[10];
        e.embedNeutral(IMAGES, 2, 5, out, 0);
        assertArrayEquals(new float[]{0.25f, 0.25f, 0.25f, 0.25f, 0.8f, 0.25f, 0.25f, 0.25f, 0.25f, 0.9f}, out);
    }

    @Test
    void constantLabelIsTheSameForEveryRow() {
        LabelEmbedding e = new LabelEmbedding(2, 1f);
        float[] out = new float[10];
        e.embedConstant(IMAGES, 2, 5, 1, out, 0);
        assertArrayEquals(new float[]{0, 1, 0.5f, 0.7f, 0.8f, 0, 1, 0.3f, 0.4f, 0.9f}, out);
    }

    @Test
    void strengthIsTheTopOfTheDataRange() {
        Dataset d = Dataset.classification("d", Tensor.of(IMAGES, 2, 5), new int[]{0, 1}, 2);
        assertEquals(0.9f, LabelEmbedding.strengthFor(d, KernelsProvider.scalar()));
        Dataset dark = Dataset.classification("dark", Tensor.zeros(2, 5), new int[]{0, 1}, 2);
        assertEquals(1f, LabelEmbedding.strengthFor(dark, KernelsProvider.scalar()));
    }

    @Test
    void badInputsAreExplained() {
        LabelEmbedding e = new LabelEmbedding(3, 1f);
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> e.embed(IMAGES, 2, 5, new int[]{0, 3}, new float[10], 0));
        assertTrue(label.getMessage().contains("label 3 of example 1 is outside [0, 3)"), label.getMessage());
        IllegalArgumentException fits = assertThrows(IllegalArgumentException.class, () -> e.requireFits(2, "the input"));
        assertTrue(fits.getMessage().contains("the input has 2 features") && fits.getMessage().contains("at least 3"), fits.getMessage());
        IllegalArgumentException strength = assertThrows(IllegalArgumentException.class, () -> new LabelEmbedding(3, 0f));
        assertTrue(strength.getMessage().contains("label strength"), strength.getMessage());
    }
}
