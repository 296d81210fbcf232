package dev.propel.standard.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.propel.spi.MultiInputLayer;
import dev.propel.standard.Standard;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.TestLayerContext;
import dev.propel.testkit.TestLayers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The join along an axis: its backward slices, and the input-gradient list it keeps from step to step. */
class ConcatTest {
    private final MultiInputLayer concat = (MultiInputLayer) TestLayers.create(new Concat.Factory(), Map.of(),
            List.of(Shape.of(2), Shape.of(1), Shape.of(3)), 1);

    @Test
    void handsBackEachInputsSliceInTheSameListAtEveryStep() {
        TestLayerContext ctx = TestLayerContext.training(concat, Standard.KERNELS).needsInputGradient(1, false);
        concat.forward(List.of(Tensor.of(new float[]{1, 2}, 1, 2), Tensor.of(new float[]{3}, 1, 1),
                Tensor.of(new float[]{4, 5, 6}, 1, 3)), ctx);
        List<Tensor> first = concat.backwardInputs(Tensor.of(new float[]{10, 20, 30, 40, 50, 60}, 1, 6), ctx);
        assertArrayEquals(new float[]{10, 20}, first.get(0).data());
        assertNull(first.get(1), "input 1 needs no gradient");
        assertArrayEquals(new float[]{40, 50, 60}, first.get(2).data());

        List<Tensor> second = concat.backwardInputs(Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 1, 6), ctx);
        assertSame(first, second, "the same buffers: the kept list");
        assertArrayEquals(new float[]{1, 2}, second.get(0).data());
        assertArrayEquals(new float[]{4, 5, 6}, second.get(2).data());

        ctx.needsInputGradient(1, true);
        List<Tensor> third = concat.backwardInputs(Tensor.of(new float[]{7, 8, 9, 10, 11, 12}, 1, 6), ctx);
        assertNotSame(second, third, "other needs: a list made for them");
        assertArrayEquals(new float[]{9}, third.get(1).data());
    }
}
