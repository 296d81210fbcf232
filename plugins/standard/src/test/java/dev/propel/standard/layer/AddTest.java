package dev.propel.standard.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

/** The residual join: its sum, and the input-gradient list it hands back without making one per step. */
class AddTest {
    private final MultiInputLayer add = (MultiInputLayer) TestLayers.create(new Add.Factory(), Map.of(),
            List.of(Shape.of(3), Shape.of(3), Shape.of(3)), 1);

    @Test
    void sumsItsInputsInOrder() {
        TestLayerContext ctx = TestLayerContext.training(add, Standard.KERNELS);
        Tensor y = add.forward(List.of(Tensor.of(new float[]{1, 2, 3}, 1, 3), Tensor.of(new float[]{10, 20, 30}, 1, 3),
                Tensor.of(new float[]{100, 200, 300}, 1, 3)), ctx);
        assertArrayEquals(new float[]{111, 222, 333}, y.data());
    }

    @Test
    void handsTheSameListBackForTheSameGradientAndANewOneOtherwise() {
        TestLayerContext ctx = TestLayerContext.training(add, Standard.KERNELS).needsInputGradient(1, false);
        Tensor x = Tensor.of(new float[]{1, 2, 3}, 1, 3);
        add.forward(List.of(x, x, x), ctx);
        Tensor g = Tensor.of(new float[]{4, 5, 6}, 1, 3);
        List<Tensor> first = add.backwardInputs(g, ctx);
        assertSame(g, first.get(0));
        assertNull(first.get(1), "input 1 needs no gradient");
        assertSame(g, first.get(2));
        assertSame(first, add.backwardInputs(g, ctx), "the same gradient tensor: the kept list");

        Tensor other = Tensor.of(new float[]{7, 8, 9}, 1, 3);
        List<Tensor> second = add.backwardInputs(other, ctx);
        assertSame(other, second.get(0));
        assertSame(other, second.get(2));

        ctx.needsInputGradient(1, true);
        assertSame(other, add.backwardInputs(other, ctx).get(1), "another session's needs: a list made for them");
    }
}
