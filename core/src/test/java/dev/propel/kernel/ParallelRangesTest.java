package dev.propel.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Kernels#parallelRanges} and {@link Kernels#parallelItems}: how a plugin's element-wise kernels use the kernel threads. */
class ParallelRangesTest {

    /** Records the ranges {@link Kernels#parallelRanges} gave a task. */
    private static List<int[]> ranges(Kernels k, int n, int parallelMin) {
        return rangesGiven(task -> k.parallelRanges(n, parallelMin, task));
    }

    /** Records the ranges {@link Kernels#parallelItems} gave a task. */
    private static List<int[]> items(Kernels k, int n) {
        return rangesGiven(task -> k.parallelItems(n, task));
    }

    /** The ranges {@code split} handed a recording task, in order of their start. */
    private static List<int[]> rangesGiven(Consumer<RangeTask> split) {
        List<int[]> seen = Collections.synchronizedList(new ArrayList<>());
        split.accept((from, to) -> seen.add(new int[]{from, to}));
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
    void itemsAreDealtEvenlyWhateverTheVectorLength() {
        try (VectorKernels two = new VectorKernels(2); VectorKernels three = new VectorKernels(3)) {
            // 16 channels at 2 threads: 8 each, also where a vector holds 16 floats.
            assertEquals(List.of(List.of(0, 8), List.of(8, 16)), asLists(items(two, 16)));
            assertEquals(List.of(List.of(0, 2), List.of(2, 3)), asLists(items(two, 3)));
            assertEquals(List.of(List.of(0, 3), List.of(3, 6), List.of(6, 7)), asLists(items(three, 7)));
            assertEquals(List.of(List.of(0, 1), List.of(1, 2)), asLists(items(three, 2)), "never more parts than items");
            assertEquals(List.of(List.of(0, 1)), asLists(items(two, 1)));
            assertEquals(List.of(List.of(0, 0)), asLists(items(two, 0)));
        }
        assertEquals(List.of(List.of(0, 16)), asLists(items(KernelsProvider.scalar(), 16)));
        assertThrows(IllegalArgumentException.class, () -> KernelsProvider.scalar().parallelItems(-1, (from, to) -> { }));
    }

    private static List<List<Integer>> asLists(List<int[]> ranges) {
        return ranges.stream().map(r -> List.of(r[0], r[1])).toList();
    }

    @Test
    void largeElementwiseKernelsSplitOverThreadsGiveTheScalarBits() {
        int n = 2 * ElementwiseSplit.PARALLEL_MIN + 3;
        SplittableRandom random = new SplittableRandom(7);
        float[] x = KernelAssertions.uniform(random, n, -1, 1);
        float[] g = KernelAssertions.uniform(random, n, -1, 1);
        Kernels scalar = KernelsProvider.scalar();
        try (VectorKernels two = new VectorKernels(2)) {
            float[] want = new float[n];
            float[] got = new float[n];
            scalar.relu(x, want, n);
            two.relu(x, got, n);
            assertArrayEquals(want, got, 0f, "relu");
            scalar.reluBackward(x, g, want, n);
            two.reluBackward(x, g, got, n);
            assertArrayEquals(want, got, 0f, "relu backward");
            scalar.add(x, g, want, n);
            two.add(x, g, got, n);
            assertArrayEquals(want, got, 0f, "add");
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
