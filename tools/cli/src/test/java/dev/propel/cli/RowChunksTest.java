package dev.propel.cli;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowChunksTest {

    /** [n, 2, 3] images whose values tell their row and position. */
    private static Tensor images(int n) {
        float[] d = new float[n * 6];
        for (int i = 0; i < d.length; i++) d[i] = i * 0.5f;
        return Tensor.wrap(d, Shape.of(n, 2, 3));
    }

    /** Per row: its sum and its first value; records the batch sizes it was called with. */
    private static Function<Tensor, Tensor> sumAndFirst(List<Integer> batches) {
        return x -> {
            batches.add(x.rows());
            float[] out = new float[x.rows() * 2];
            for (int r = 0; r < x.rows(); r++) {
                float s = 0;
                for (int j = 0; j < x.rowSize(); j++) s += x.data()[r * x.rowSize() + j];
                out[2 * r] = s;
                out[2 * r + 1] = x.data()[r * x.rowSize()];
            }
            return Tensor.wrap(out, Shape.of(x.rows(), 2));
        };
    }

    @Test
    void chunkedOutputsEqualOnePassAndNoChunkIsLargerThanRows() {
        int n = 2 * RowChunks.ROWS + 37;
        Tensor x = images(n);
        List<Integer> whole = new ArrayList<>();
        Tensor expected = sumAndFirst(whole).apply(x);
        List<Integer> batches = new ArrayList<>();
        Tensor got = RowChunks.outputs(x, sumAndFirst(batches));
        assertEquals(Shape.of(n, 2), got.shape());
        assertArrayEquals(expected.data(), got.data());
        assertEquals(List.of(RowChunks.ROWS, RowChunks.ROWS, 37), batches);
    }

    @Test
    void aSmallInputGoesThroughInOnePass() {
        Tensor x = images(5);
        List<Integer> batches = new ArrayList<>();
        Tensor got = RowChunks.outputs(x, sumAndFirst(batches));
        assertEquals(List.of(5), batches);
        assertEquals(5, got.rows());
        int[] classes = RowChunks.classes(x, t -> new int[t.rows()]);
        assertEquals(5, classes.length);
    }

    @Test
    void chunkedClassesKeepRowOrder() {
        int n = RowChunks.ROWS + 3;
        Tensor x = images(n);
        int[] got = RowChunks.classes(x, t -> {
            assertTrue(t.rows() <= RowChunks.ROWS, "chunk of " + t.rows() + " rows");
            int[] c = new int[t.rows()];
            for (int r = 0; r < t.rows(); r++) c[r] = (int) (t.data()[r * t.rowSize()] / 3f); // first value / 3 = row index
            return c;
        });
        for (int r = 0; r < n; r++) assertEquals(r, got[r]);
    }

    @Test
    void aChunkThatChangesItsRowSizeIsAnError() {
        Tensor x = images(RowChunks.ROWS + 1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RowChunks.outputs(x, t -> Tensor.zeros(t.rows(), t.rows() == 1 ? 3 : 2)));
        assertTrue(e.getMessage().contains("row " + RowChunks.ROWS), e.getMessage());
    }

    @Test
    void rowsCopiesKeepTheExampleShape() {
        Tensor x = images(4);
        Tensor r = RowChunks.rows(x, 1, 2);
        assertEquals(Shape.of(2, 2, 3), r.shape());
        assertEquals(3f, r.data()[0]);
        assertEquals(x.data()[17], r.data()[11]);
    }
}
