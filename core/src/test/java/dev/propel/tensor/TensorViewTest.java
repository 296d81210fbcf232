package dev.propel.tensor;

import dev.propel.kernel.Kernels;
import dev.propel.kernel.ScalarKernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Strided views: slices, selections and transposes share the array and index it as their shape says. */
class TensorViewTest {

    /** [2, 3, 4] holding 0..23, so element [b, t, f] is 12b + 4t + f. */
    private static Tensor sequence() {
        float[] v = new float[24];
        for (int i = 0; i < v.length; i++) v[i] = i;
        return Tensor.of(v, 2, 3, 4);
    }

    @Test
    void aTimeStepIsAViewNotACopy() {
        Tensor x = sequence();
        Tensor step = x.select(1, 2); // [batch, features] at t = 2
        assertEquals(Shape.of(2, 4), step.shape());
        assertSame(x.data(), step.data());
        assertEquals(8, step.offset());
        assertArrayEquals(new int[]{12, 1}, step.strides());
        assertFalse(step.isDense());
        assertArrayEquals(new float[]{8, 9, 10, 11, 20, 21, 22, 23}, step.toArray());
        step.set(-1f, 1, 3);
        assertEquals(-1f, x.get(1, 2, 3));
    }

    @Test
    void aGateBlockIsASliceWhoseRowsAGemmCanAddress() {
        Tensor gates = Tensor.of(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 2, 4); // [B=2, 4H] with H = 1
        Tensor forget = gates.slice(1, 1, 1);
        assertArrayEquals(new float[]{2, 6}, forget.toArray());
        Tensor pair = gates.slice(1, 2, 2);
        assertArrayEquals(new float[]{3, 4, 7, 8}, pair.toArray());
        // y = pair · [1, 10]ᵀ through the view's offset and row stride: no copy of the block.
        Kernels k = new ScalarKernels();
        float[] y = new float[2];
        k.gemm(false, false, 2, 1, 2, 1f, pair.data(), pair.offset(), pair.stride(0), new float[]{1, 10}, 0, 1, 0f, y, 0, 1);
        assertArrayEquals(new float[]{43, 87}, y);
    }

    @Test
    void transposeSwapsStridesAndContiguousCopiesInRowMajorOrder() {
        Tensor m = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = m.transpose(0, 1);
        assertEquals(Shape.of(3, 2), t.shape());
        assertEquals(4f, t.get(0, 1));
        Tensor dense = t.contiguous();
        assertTrue(dense.isDense());
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, dense.toArray());
        assertSame(m, m.contiguous());
        Tensor channel = sequence().select(1, 1).slice(1, 1, 2); // a view of a view
        assertArrayEquals(new float[]{5, 6, 17, 18}, channel.toArray());
        Tensor into = Tensor.zeros(2, 2);
        into.copyFrom(channel);
        assertArrayEquals(new float[]{5, 6, 17, 18}, into.toArray());
        assertTrue(channel.toString().contains("[5.0, 6.0, 17.0, 18.0]"), channel.toString());
    }

    @Test
    void viewsRefuseWhatNeedsDenseDataAndBadRanges() {
        Tensor x = sequence();
        ShapeException e = assertThrows(ShapeException.class, () -> x.select(1, 0).reshape(8));
        assertTrue(e.getMessage().contains("call contiguous() first"), e.getMessage());
        assertThrows(ShapeException.class, () -> x.slice(1, 2, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> x.select(0, 2));
        assertThrows(ShapeException.class, () -> x.transpose(0, 3));
        assertTrue(x.slice(0, 0, 2).isDense(), "the whole tensor seen as a slice is still dense");
    }
}
