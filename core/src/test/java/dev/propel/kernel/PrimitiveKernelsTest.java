package dev.propel.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The primitive kernels: the vector forms against the scalar definitions on sizes with tails and at
 * offsets, the scalar definitions against hand-computed values, and the argument checks.
 */
class PrimitiveKernelsTest {
    private static final Kernels SCALAR = new ScalarKernels();
    private static final Kernels VECTOR = new VectorKernels(2);
    /** Short arrays run scalar code (ShortArrays: below 256, affine below 4,096); the longer sizes reach the vector tails. */
    private static final int[] SIZES = {0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 257, 263, 303, 4103};

    @AfterAll
    static void close() {
        VECTOR.close();
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble() * 4 - 2);
        return x;
    }

    @Test
    void unaryOpsAgreeWithTheScalarDefinitionsAtOffsets() {
        SplittableRandom r = new SplittableRandom(1);
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : SIZES) {
                float[] x = random(r, n + 5);
                if (op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.LOG) {
                    for (int i = 0; i < x.length; i++) x[i] = Math.abs(x[i]) + 0.01f;
                }
                float[] s = new float[n + 3];
                float[] v = new float[n + 3];
                SCALAR.unary(op, x, 5, s, 3, n);
                VECTOR.unary(op, x, 5, v, 3, n);
                assertArrayEquals(s, v, op + " n=" + n); // bitwise: exact ops are the same IEEE ops, the rest run the scalar form
                for (int i = 0; i < n; i++) assertEquals(op.apply(x[5 + i]), s[3 + i], op + " at " + i);
            }
        }
    }

    @Test
    void unaryOpsMatchHandValues() {
        float[] x = {-2f, -0f, 0f, 0.25f, 4f, Float.NaN};
        float[] y = new float[6];
        VECTOR.unary(UnaryOp.SIGN, x, 0, y, 0, 6);
        assertArrayEquals(new float[]{-1f, -0f, 0f, 1f, 1f, Float.NaN}, y);
        VECTOR.unary(UnaryOp.ABS, x, 0, y, 0, 5);
        assertArrayEquals(new float[]{2f, 0f, 0f, 0.25f, 4f}, java.util.Arrays.copyOf(y, 5));
        VECTOR.unary(UnaryOp.RSQRT, new float[]{4f, 0.25f}, 0, y, 0, 2);
        assertEquals(0.5f, y[0]);
        assertEquals(2f, y[1]);
        VECTOR.unary(UnaryOp.EXP, new float[]{0f, 1f}, 0, y, 0, 2);
        assertEquals(1f, y[0]);
        assertEquals((float) Math.E, y[1], 1e-6f);
        VECTOR.unary(UnaryOp.SIGMOID, new float[]{0f}, 0, y, 0, 1);
        assertEquals(0.5f, y[0]);
    }

    @Test
    void binaryOpsAgreeAndMayWorkInPlace() {
        SplittableRandom r = new SplittableRandom(2);
        for (BinaryOp op : BinaryOp.values()) {
            for (int n : SIZES) {
                float[] a = random(r, n + 2);
                float[] b = random(r, n + 4);
                if (op == BinaryOp.POW) for (int i = 0; i < a.length; i++) a[i] = Math.abs(a[i]);
                float[] s = new float[n + 1];
                float[] v = new float[n + 1];
                SCALAR.binary(op, a, 2, b, 4, s, 1, n);
                VECTOR.binary(op, a, 2, b, 4, v, 1, n);
                assertArrayEquals(s, v, op + " n=" + n);
                float[] inPlace = a.clone();
                VECTOR.binary(op, inPlace, 2, b, 4, inPlace, 2, n);
                for (int i = 0; i < n; i++) assertEquals(s[1 + i], inPlace[2 + i]);
            }
        }
        float[] out = new float[3];
        SCALAR.binary(BinaryOp.DIV, new float[]{1, 6, -3}, 0, new float[]{2, 3, 0}, 0, out, 0, 3);
        assertArrayEquals(new float[]{0.5f, 2f, Float.NEGATIVE_INFINITY}, out);
    }

    @Test
    void broadcastAlongEachAxisAgreesAndMatchesHandValues() {
        SplittableRandom r = new SplittableRandom(3);
        int[][] extents = {{1, 5, 1}, {4, 3, 1}, {4, 17, 1}, {1, 3, 17}, {2, 3, 16}, {3, 2, 33}, {2, 1, 9}};
        for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAX}) {
            for (int[] e : extents) {
                int n = e[0] * e[1] * e[2];
                float[] a = random(r, n + 1);
                float[] b = random(r, e[1] + 2);
                float[] s = new float[n];
                float[] v = new float[n];
                SCALAR.broadcast(op, a, 1, b, 2, s, 0, e[0], e[1], e[2]);
                VECTOR.broadcast(op, a, 1, b, 2, v, 0, e[0], e[1], e[2]);
                assertArrayEquals(s, v, op + " " + java.util.Arrays.toString(e));
            }
        }
        // [2, 2, 2] minus a per-"channel" value: channel 0 gets −1, channel 1 gets −10.
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] y = new float[8];
        VECTOR.broadcast(BinaryOp.SUB, x, 0, new float[]{1, 10}, 0, y, 0, 2, 2, 2);
        assertArrayEquals(new float[]{0, 1, -7, -6, 4, 5, -3, -2}, y);
    }

    @Test
    void reductionsAlongEachAxisAgreeAndMatchHandValues() {
        SplittableRandom r = new SplittableRandom(4);
        int[][] extents = {{1, 5, 1}, {4, 3, 1}, {3, 17, 1}, {1, 3, 17}, {2, 3, 16}, {3, 4, 33}, {2, 0, 9}};
        for (ReduceOp op : ReduceOp.values()) {
            for (int[] e : extents) {
                for (boolean accumulate : new boolean[]{false, true}) {
                    float[] x = random(r, e[0] * e[1] * e[2] + 3);
                    float[] s = random(r, e[0] * e[2] + 2);
                    float[] v = s.clone();
                    SCALAR.reduce(op, x, 3, e[0], e[1], e[2], s, 2, accumulate);
                    VECTOR.reduce(op, x, 3, e[0], e[1], e[2], v, 2, accumulate);
                    assertArrayEquals(s, v, op + " " + java.util.Arrays.toString(e) + " accumulate=" + accumulate);
                }
            }
        }
        float[] m = {1, 2, 3, 4, 5, 6}; // [2, 3]
        float[] out = new float[3];
        SCALAR.reduce(ReduceOp.SUM, m, 0, 1, 2, 3, out, 0, false);
        assertArrayEquals(new float[]{5, 7, 9}, out);
        SCALAR.reduce(ReduceOp.MAX, m, 0, 2, 3, 1, out, 0, false);
        assertArrayEquals(new float[]{3, 6}, java.util.Arrays.copyOf(out, 2));
        SCALAR.reduce(ReduceOp.SUM_SQUARES, m, 0, 2, 3, 1, out, 0, false);
        assertArrayEquals(new float[]{14, 77}, java.util.Arrays.copyOf(out, 2));
    }

    @Test
    void affineCopiesGatherAndScatter() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : SIZES) {
            float[] x = random(r, n);
            float[] s = new float[n];
            float[] v = new float[n];
            SCALAR.affine(1.5f, x, 0, -0.25f, s, 0, n);
            VECTOR.affine(1.5f, x, 0, -0.25f, v, 0, n);
            assertArrayEquals(s, v);
        }
        float[] src = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] dst = new float[8];
        VECTOR.copyRows(src, 1, 3, dst, 0, 4, 2, 2); // rows [2,3] and [5,6] into a stride-4 block
        assertArrayEquals(new float[]{2, 3, 0, 0, 5, 6, 0, 0}, dst);
        float[] table = {0, 0, 1, 1, 2, 2}; // 3 rows of 2
        float[] gathered = new float[6];
        VECTOR.gatherRows(table, 2, new int[]{2, 0, 2}, 3, gathered, 0);
        assertArrayEquals(new float[]{2, 2, 0, 0, 2, 2}, gathered);
        VECTOR.scatterAddRows(new float[]{1, 1, 10, 10, 100, 100}, 0, 2, new int[]{2, 0, 2}, 3, table);
        assertArrayEquals(new float[]{10, 10, 1, 1, 103, 103}, table);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> VECTOR.gatherRows(table, 2, new int[]{3}, 1, gathered, 0));
        assertTrue(e.getMessage().contains("index 3 at position 0 is outside the table's 3 rows"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> VECTOR.binary(BinaryOp.ADD, src, 5, src, 0, dst, 0, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> VECTOR.copyRows(src, 0, 3, dst, 0, 4, 3, 3));
    }

    @Test
    void batchedProductsEqualSeparateProducts() {
        SplittableRandom r = new SplittableRandom(6);
        int count = 3, m = 5, n = 7, k = 4;
        float[] a = random(r, count * m * k);
        float[] b = random(r, count * k * n);
        float[] batched = new float[count * m * n];
        VECTOR.gemmBatched(count, false, false, m, n, k, 1f, a, 0, m * k, k, b, 0, k * n, n, 0f, batched, 0, m * n, n);
        for (int p = 0; p < count; p++) {
            float[] one = new float[m * n];
            SCALAR.gemm(false, false, m, n, k, 1f, a, p * m * k, k, b, p * k * n, n, 0f, one, 0, n);
            assertArrayEquals(one, java.util.Arrays.copyOfRange(batched, p * m * n, (p + 1) * m * n));
        }
    }
}
