package dev.propel.tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }

    @Test
    void rowMajorIndexing() {
        Tensor t = Tensor.of(new float[]{0, 1, 2, 3, 4, 5}, 2, 3);
        assertEquals(5f, t.get(1, 2));
        assertEquals(3f, t.get(1, 0));
        t.set(9f, 0, 1);
        assertEquals(9f, t.data()[1]);
        assertEquals(2, t.rows());
        assertEquals(3, t.rowSize());
        assertEquals(6, t.size());
    }

    @Test
    void ofCopiesAndWrapShares() {
        float[] values = {1, 2};
        Tensor copied = Tensor.of(values, 2);
        Tensor wrapped = Tensor.wrap(values, Shape.of(2));
        values[0] = 7;
        assertEquals(1f, copied.get(0));
        assertEquals(7f, wrapped.get(0));
    }

    @Test
    void aLongerBufferHoldsASmallerShape() {
        Tensor t = Tensor.wrap(new float[10], Shape.of(2, 3));
        assertEquals(6, t.size());
        assertArrayEquals(new float[6], t.toArray(), "toArray is tight");
        assertEquals(6, t.copy().data().length, "copy is tight");
        Tensor bigger = t.view(Shape.of(5, 2));
        assertSame(t.data(), bigger.data());
        assertSame(t, t.view(Shape.of(2, 3)));
    }

    @Test
    void reshapeSharesDataAndKeepsSize() {
        Tensor t = Tensor.of(new float[]{0, 1, 2, 3, 4, 5}, 2, 3);
        Tensor r = t.reshape(3, 2);
        r.set(8f, 2, 1);
        assertEquals(8f, t.get(1, 2));
        assertMentions(assertThrows(ShapeException.class, () -> t.reshape(4, 2)),
                "cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)");
    }

    @Test
    void copyIsDeepAndCopyFromChecksSize() {
        Tensor a = Tensor.of(new float[]{1, 2, 3, 4}, 2, 2);
        Tensor b = a.copy();
        b.set(0f, 0, 0);
        assertEquals(1f, a.get(0, 0));
        Tensor flat = Tensor.zeros(4);
        flat.copyFrom(a);
        assertArrayEquals(new float[]{1, 2, 3, 4}, flat.toArray());
        assertMentions(assertThrows(ShapeException.class, () -> flat.copyFrom(Tensor.zeros(5))),
                "cannot copy a tensor of shape [5] into one of shape [4]");
    }

    @Test
    void errorsNameShapesAndCounts() {
        assertMentions(assertThrows(ShapeException.class, () -> Tensor.of(new float[5], 2, 3)),
                "shape [2, 3] needs 6 values but 5 were given");
        assertMentions(assertThrows(ShapeException.class, () -> Tensor.wrap(new float[5], Shape.of(2, 3))),
                "needs 6 floats", "holds only 5");
        assertMentions(assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).view(Shape.of(7))),
                "cannot view [2, 3] as [7]", "buffer holds 6");
        assertMentions(assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).get(1)),
                "index [1] has 1 coordinates", "[2, 3] has rank 2");
        assertMentions(assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).get(1, 3)),
                "index [1, 3] is outside shape [2, 3]");
        assertMentions(assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).requireShape(Shape.of(3, 2), "weight")),
                "weight: expected shape [3, 2] but got [2, 3]");
    }

    @Test
    void randnIsSeededWithTheGivenDeviation() {
        Tensor a = Tensor.randn(new SplittableRandom(3), 0.5f, 100, 100);
        Tensor b = Tensor.randn(new SplittableRandom(3), 0.5f, 100, 100);
        assertArrayEquals(a.toArray(), b.toArray());
        double sum = 0;
        double sumSq = 0;
        for (float v : a.toArray()) {
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / a.size();
        double std = Math.sqrt(sumSq / a.size() - mean * mean);
        assertEquals(0, mean, 0.02);
        assertEquals(0.5, std, 0.02);
    }

    @Test
    void toStringShowsShapeAndFirstValues() {
        assertEquals("Tensor[2] [1.0, 2.0]", Tensor.of(new float[]{1, 2}, 2).toString());
        assertTrue(Tensor.zeros(10).toString().endsWith(", ...]"));
    }
}
