package dev.propel.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Kernels#parallelRanges}: how a plugin's element-wise kernels use the kernel threads. */
class ParallelRangesTest {

    /** Records the ranges a task was given. */
    private static List<int[]> ranges(Kernels k, int n, int parallelMin) {
        List<int[]> seen = Collections.synchronizedList(new ArrayList<>());
        k.parallelRanges(n, parallelMin, (from, to) -> seen.add(new int[]{from, to}));
        List<int[]> sorted = new ArrayList<>(seen);
        sorted.sort(Comparator.comparingInt(r -> r[0]));
        return sorted;
    }

    @Test
    void scalarKernelsRunTheWholeRangeOnTheCallingThread() {
        Thread caller = Thread.currentThread();
        List<Thread> threads = new ArrayList<>();
        KernelsProvider.scalar().parallelRanges(1_000_000, 1, (from, to) -> {
            threads.add(Thread.currentThread());
            assertEquals(0, from);
            assertEquals(1_000_000, to);
        });
        assertEquals(List.of(caller), threads);
    }

    @Test
    void smallRangesStayOnTheCallingThread() {
        try (VectorKernels three = new VectorKernels(3)) {
            List<int[]> r = ranges(three, 65_535, 65_536);
            assertEquals(1, r.size());
            assertEquals(0, r.get(0)[0]);
            assertEquals(65_535, r.get(0)[1]);
        }
    }

    @Test
    void largeRangesAreSplitIntoOneVectorAlignedRangePerThreadCoveringEverything() {
        for (int threads : new int[]{2, 3}) {
            try (VectorKernels k = new VectorKernels(threads)) {
                for (int n : new int[]{65_536, 65_553, 200_003}) {
                    List<int[]> r = ranges(k, n, 65_536);
                    assertEquals(threads, r.size(), "n=" + n);
                    int next = 0;
                    for (int[] range : r) {
                        assertEquals(next, range[0], "ranges must be consecutive, n=" + n);
                        assertEquals(0, range[0] % VectorKernels.LANES, "a range starts on a vector boundary");
                        assertTrue(range[1] >= range[0]);
                        next = range[1];
                    }
                    assertEquals(n, next, "the ranges must cover [0, n)");
                }
            }
        }
    }

    @Test
    void aFailingRangeIsRethrownAfterAllRangesEnded() {
        try (VectorKernels two = new VectorKernels(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> two.parallelRanges(100_000, 1, (from, to) -> {
                        if (from > 0) throw boom;
                    }));
            assertSame(boom, e);
        }
    }

    @Test
    void aNegativeCountIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelsProvider.scalar().parallelRanges(-1, 1, (from, to) -> { }));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        try (VectorKernels two = new VectorKernels(2)) {
            assertThrows(IllegalArgumentException.class, () -> two.parallelRanges(-5, 1, (from, to) -> { }));
        }
    }
}
