package dev.propel.data;

import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetTest {

    /** Example i has features [i, 10·i] and label i % 3. */
    private static Dataset numbered(int n) {
        float[] f = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            f[2 * i] = i;
            f[2 * i + 1] = 10 * i;
            labels[i] = i % 3;
        }
        return Dataset.classification("numbered", Tensor.of(f, n, 2), labels, 3);
    }

    @Test
    void classificationKeepsLabelsAndMakesOneHotTargets() {
        Dataset d = numbered(4);
        assertEquals(4, d.size());
        assertEquals("[2]", d.featureShape().toString());
        assertArrayEquals(new float[]{1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0}, d.targets().toArray());
        assertArrayEquals(new int[]{2, 1, 1}, d.classCounts());
        assertEquals("Dataset 'numbered' (4 examples of [2], 3 classes)", d.toString());
    }

    @Test
    void selectKeepsTheGivenOrderAndRejectsBadIndices() {
        Dataset d = numbered(5).select(new int[]{4, 0, 4}, "picked");
        assertEquals("picked", d.name());
        assertArrayEquals(new float[]{4, 40, 0, 0, 4, 40}, d.features().toArray());
        assertArrayEquals(new int[]{1, 0, 1}, d.labels());
        assertEquals(3, d.classes());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> numbered(5).select(new int[]{0, 5}, "x"));
        assertTrue(e.getMessage().contains("index 5 at position 1 is outside [0, 5)"), e.getMessage());
    }

    @Test
    void headTakesTheFirstExamples() {
        Dataset d = numbered(5);
        assertArrayEquals(new int[]{0, 1}, d.head(2).labels());
        assertArrayEquals(new float[]{0, 0, 1, 10}, d.head(2).features().toArray());
        assertEquals(5, d.head(100).size(), "asking for more than there are gives all");
        assertEquals(0, d.head(0).size());
        assertThrows(IllegalArgumentException.class, () -> d.head(-1));
    }

    @Test
    void splitIsADisjointCoverReproducibleFromTheSeed() {
        Dataset d = numbered(100);
        Dataset.Split a = d.split(0.2, 7);
        Dataset.Split b = d.split(0.2, 7);
        assertEquals(80, a.train().size());
        assertEquals(20, a.validation().size());
        assertArrayEquals(a.validation().features().toArray(), b.validation().features().toArray());
        assertTrue(!Arrays.equals(a.validation().features().toArray(), d.split(0.2, 8).validation().features().toArray()),
                "another seed, another split");
        Set<Float> seen = new HashSet<>();
        for (Dataset part : new Dataset[]{a.train(), a.validation()}) {
            float[] f = part.features().toArray();
            int[] labels = part.labels();
            for (int i = 0; i < part.size(); i++) {
                assertTrue(seen.add(f[2 * i]), "example " + f[2 * i] + " appears twice");
                assertEquals(f[2 * i] * 10, f[2 * i + 1], "feature rows stay whole");
                assertEquals((int) f[2 * i] % 3, labels[i], "labels follow their examples");
            }
        }
        assertEquals(100, seen.size());
        assertEquals("numbered/validation", a.validation().name());
    }

    @Test
    void splitRejectsFractionsThatLeaveAnEmptyPart() {
        assertThrows(IllegalArgumentException.class, () -> numbered(10).split(0, 1));
        assertThrows(IllegalArgumentException.class, () -> numbered(10).split(1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> numbered(10).split(0.01, 1));
        assertTrue(e.getMessage().contains("empty part"), e.getMessage());
    }

    @Test
    void inconsistentConstructionIsRefused() {
        assertThrows(ShapeException.class,
                () -> Dataset.classification("d", Tensor.zeros(3, 2), new int[]{0, 1}, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("d", Tensor.zeros(2, 2), new int[]{0, 2}, 2));
        assertTrue(e.getMessage().contains("label 2 of example 1"), e.getMessage());
        assertThrows(ShapeException.class, () -> Dataset.regression("r", Tensor.zeros(3, 2), Tensor.zeros(2, 1)));
        assertThrows(IllegalStateException.class,
                () -> Dataset.regression("r", Tensor.zeros(2, 2), Tensor.zeros(2, 1)).classCounts());
    }

    @Test
    void withFeatureShapeViewsTheSameValuesInAnotherLayout() {
        Dataset d = numbered(3);
        Dataset seen = d.withFeatureShape(dev.propel.tensor.Shape.of(2, 1));
        assertEquals("[2, 1]", seen.featureShape().toString());
        assertEquals(d.features().data(), seen.features().data(), "a view, not a copy");
        assertArrayEquals(d.labels(), seen.labels());
        assertEquals(d.targets(), seen.targets());
        assertEquals(d, d.withFeatureShape(dev.propel.tensor.Shape.of(2)), "the same shape gives the dataset itself");
        ShapeException e = assertThrows(ShapeException.class, () -> d.withFeatureShape(dev.propel.tensor.Shape.of(3)));
        assertTrue(e.getMessage().contains("'numbered'") && e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void shapedForLeavesAnotherSizeToTheCallersCheck() {
        Dataset d = numbered(2);
        assertEquals("[1, 2]", d.shapedFor(dev.propel.tensor.Shape.of(1, 2)).featureShape().toString());
        assertEquals(d, d.shapedFor(dev.propel.tensor.Shape.of(5)));
    }
}
