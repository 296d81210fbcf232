package dev.propel.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapeTest {

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }

    @Test
    void basics() {
        Shape s = Shape.of(32, 28, 28);
        assertEquals(3, s.rank());
        assertEquals(32 * 784, s.size());
        assertEquals(784, s.rowSize());
        assertEquals(28, s.dim(1));
        assertEquals("[32, 28, 28]", s.toString());
        assertEquals(Shape.of(28, 28), s.withoutBatch());
        assertEquals(s, Shape.of(28, 28).withBatch(32));
        assertEquals(s.hashCode(), Shape.of(32, 28, 28).hashCode());
        assertNotEquals(s, Shape.of(32, 784));
    }

    @Test
    void scalarsAndEmptyBatches() {
        Shape scalar = Shape.of();
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.size());
        assertEquals(1, scalar.rowSize());
        assertEquals(0, Shape.of(0, 10).size());
        assertEquals(10, Shape.of(0, 10).rowSize(), "an empty batch still has rows of 10");
        assertMentions(assertThrows(ShapeException.class, scalar::withoutBatch), "scalar shape []", "no batch dimension");
    }

    @Test
    void dimsAreCopiedBothWays() {
        int[] dims = {2, 3};
        Shape s = Shape.of(dims);
        dims[0] = 99;
        assertEquals(2, s.dim(0));
        s.dims()[1] = 99;
        assertArrayEquals(new int[]{2, 3}, s.dims());
    }

    @Test
    void errorsNameTheShape() {
        assertMentions(assertThrows(ShapeException.class, () -> Shape.of(3, -1)), "dimension 1 of [3, -1] is negative");
        assertMentions(assertThrows(ShapeException.class, () -> Shape.of(65536, 65536)), "[65536, 65536]",
                "more than 2147483639 elements");
        assertMentions(assertThrows(ShapeException.class, () -> Shape.of(4, 5).dim(2)), "axis 2", "[4, 5]", "rank 2");
        assertThrows(ShapeException.class, () -> Shape.of(4, 5).dim(-1));
    }
}
