package dev.propel.kernel;

import static dev.propel.kernel.KernelAssertions.uniform;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Matrix products and element-wise ranges split over two kernel threads allocate nothing in steady
 * state, on the calling thread or the worker. The Vector API allocates while its code is interpreted,
 * so the test warms up and then measures windows of calls until one allocates nothing (or fails with
 * the last figures after a generous time): an allocation that every call makes never reaches zero.
 */
class SplitAllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void splitProductsAndRangesAllocateNothingOnceCompiled() {
        SplittableRandom random = new SplittableRandom(1);
        int m = 128, n = 256, k = 512;
        float[] a = uniform(random, m * k, -1, 1);
        float[] b = uniform(random, k * n, -1, 1);
        float[] c = new float[m * n];
        int dotN = 1100;
        float[] w = uniform(random, dotN * 1000, -1, 1);
        float[] y = new float[4 * dotN];
        float[] x = uniform(random, 100_000, -1, 1);
        float[] z = new float[x.length];
        RangeTask scale = (from, to) -> {
            for (int i = from; i < to; i++) x[i] *= 0.5f;
        };
        try (VectorKernels kernels = new VectorKernels(2)) {
            assertTrue((long) m * n * k >= VectorGemm.PARALLEL_MIN_WORK && 4L * dotN * 1000 >= VectorGemm.PARALLEL_MIN_WORK
                    && x.length >= ElementwiseSplit.PARALLEL_MIN, "large enough to split");
            Runnable step = () -> {
                kernels.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);  // split by rows
                kernels.gemm(true, false, m, n, k, 1f, a, 0, m, b, 0, n, 0f, c, 0, n);   // (At, B)
                kernels.gemm(false, true, 4, dotN, 1000, 1f, a, 0, 1000, w, 0, 1000, 0f, y, 0, dotN); // dot order
                kernels.parallelRanges(x.length, 1, scale);
                kernels.relu(x, z, x.length);                                                 // element-wise splits
                kernels.reluBackward(x, x, z, x.length);
                kernels.add(x, z, z, x.length);
            };
            long[] workers = kernels.workerThreadIds();
            long deadline = System.nanoTime() + 120_000_000_000L;
            String last = "";
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < 20; i++) step.run();
                long[] before = THREADS.getThreadAllocatedBytes(workers);
                long callerBefore = THREADS.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 10; i++) step.run();
                long caller = THREADS.getCurrentThreadAllocatedBytes() - callerBefore;
                long[] after = THREADS.getThreadAllocatedBytes(workers);
                long worker = after[0] - before[0];
                if (caller == 0 && worker == 0) {
                    return;
                }
                last = "caller " + caller + " bytes, worker " + worker + " bytes";
            }
            fail("10 steps of split products and ranges still allocate after warm-up: " + last
                    + " (workers " + Arrays.toString(workers) + ")");
        }
    }
}
