package dev.propel.kernel;

import java.util.function.IntConsumer;

/**
 * {@link Kernels#parallelRanges} and {@link Kernels#parallelItems} over the kernel threads without
 * allocating: one reusable task per calling thread deals the ranges {@code [q·share, (q+1)·share) ∩ [0, n)}
 * to the parts q. A range task that itself splits (the thread's object is then in use) gets a fresh one.
 */
final class RangeSplit implements IntConsumer {

    private static final ThreadLocal<RangeSplit> OF_THREAD = ThreadLocal.withInitial(RangeSplit::new);

    private RangeTask task;
    private int n;
    private int share;

    private RangeSplit() {
    }

    /** Runs {@code task} on {@code parts} ranges of {@code share} elements (the last one shorter) over the pool. */
    static void run(KernelThreadPool pool, int parts, int n, int share, RangeTask task) {
        RangeSplit mine = OF_THREAD.get();
        RangeSplit split = mine.task == null ? mine : new RangeSplit();
        split.task = task;
        split.n = n;
        split.share = share;
        try {
            pool.forEachPart(parts, split);
        } finally {
            split.task = null;
        }
    }

    @Override
    public void accept(int part) {
        task.run(Math.min(n, part * share), Math.min(n, (part + 1) * share));
    }
}
