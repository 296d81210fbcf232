package dev.propel.kernel;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * ReLU, GELU, their gradients and the addition give the same bits whether the vector kernels run them whole or
 * split over 2 or 3 threads (ranges that end inside a vector, and a last range shorter than the others), and
 * ReLU and the addition give the scalar kernels' bits.
 */
class ElementwiseSplitTest {

    private interface Op {
        void run(Kernels k, float[] a, float[] b, float[] out, int n);
    }

    private static final Op[] OPS = {
            (k, a, b, out, n) -> k.relu(a, out, n),
            (k, a, b, out, n) -> k.reluBackward(a, b, out, n),
            (k, a, b, out, n) -> k.gelu(a, out, n, false),
            (k, a, b, out, n) -> k.gelu(a, out, n, true),
            (k, a, b, out, n) -> k.geluBackward(a, b, out, n, false),
            (k, a, b, out, n) -> k.geluBackward(a, b, out, n, true),
            (k, a, b, out, n) -> k.add(a, b, out, n),
    };

    private static float[] uniform(SplittableRandom r, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(lo, hi);
        return x;
    }

    private static float[] run(Kernels k, Op op, float[] a, float[] b, int n) {
        float[] out = new float[n + 3];
        op.run(k, a, b, out, n);
        return out;
    }

    @Test
    void splitRunsGiveTheBitsOfOneThread() {
        SplittableRandom random = new SplittableRandom(7);
        int[] sizes = {VectorKernels.TRANSCENDENTAL_PARALLEL_MIN + 5, VectorKernels.MEMORY_BOUND_PARALLEL_MIN + 13,
                3 * VectorKernels.MEMORY_BOUND_PARALLEL_MIN + 1};
        try (VectorKernels one = new VectorKernels(1); VectorKernels two = new VectorKernels(2);
             VectorKernels three = new VectorKernels(3)) {
            for (int n : sizes) {
                float[] a = uniform(random, n + 3, -4, 4);
                float[] b = uniform(random, n + 3, -1, 1);
                for (int o = 0; o < OPS.length; o++) {
                    float[] expected = run(one, OPS[o], a, b, n);
                    assertArrayEquals(expected, run(two, OPS[o], a, b, n), "op " + o + ", 2 threads, n = " + n);
                    assertArrayEquals(expected, run(three, OPS[o], a, b, n), "op " + o + ", 3 threads, n = " + n);
                }
            }
        }
    }

    @Test
    void splitReluAndAdditionGiveTheScalarBits() {
        SplittableRandom random = new SplittableRandom(8);
        int n = VectorKernels.MEMORY_BOUND_PARALLEL_MIN + 77;
        float[] a = uniform(random, n, -4, 4);
        float[] b = uniform(random, n, -1, 1);
        try (VectorKernels two = new VectorKernels(2)) {
            Kernels scalar = new ScalarKernels();
            for (int o : new int[] {0, 1, 6}) {
                assertArrayEquals(run(scalar, OPS[o], a, b, n), run(two, OPS[o], a, b, n), "op " + o);
            }
        }
    }
}
