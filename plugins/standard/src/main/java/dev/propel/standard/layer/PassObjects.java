package dev.propel.standard.layer;

import dev.propel.kernel.Kernels;
import dev.propel.kernel.RangeTask;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The per-pass object of a layer that splits its loops over the kernel threads: it holds a pass's arrays and
 * the range tasks reading them, made once, so that a pass allocates no lambda. One is kept between passes; a
 * layer used by two passes at once simply makes a second one.
 */
final class PassObjects<T> {
    /** Elements of work below which a loop stays on the calling thread (handing work over costs more). */
    static final int PARALLEL_MIN = 1 << 15;

    private final AtomicReference<T> idle = new AtomicReference<>();
    private final Supplier<T> make;

    PassObjects(Supplier<T> make) {
        this.make = make;
    }

    T acquire() {
        T t = idle.getAndSet(null);
        return t != null ? t : make.get();
    }

    /** Keeps {@code t} for the next pass; the caller has dropped its references to the model's arrays. */
    void release(T t) {
        idle.set(t);
    }

    /** Runs {@code task} over {@code [0, n)}: on the kernel threads when {@code work} is large enough to pay for it. */
    static void split(Kernels k, int n, long work, RangeTask task) {
        if (k.threads() == 1 || work < PARALLEL_MIN) {
            task.run(0, n);
        } else {
            k.parallelItems(n, task);
        }
    }
}
