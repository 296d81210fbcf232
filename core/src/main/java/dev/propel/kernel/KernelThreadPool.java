package dev.propel.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The fixed pool of daemon threads that the Vector API kernels split large products over. The
 * calling thread always does one share of the work itself, so a pool for {@code threads} threads
 * holds {@code threads − 1} workers. After {@link #close()}, work runs on the calling thread alone,
 * which gives the same results (kernels never let the split change a result).
 *
 * <p><b>Nothing is allocated per call.</b> Each worker has one task slot, written by the caller and
 * announced by a volatile generation number; the worker spins briefly, then parks, while it waits.
 * Parts are dealt round-robin: part {@code p} runs on worker {@code p mod threads − 1} (0 is the
 * caller), so no queue, future or per-part object is needed. One caller uses the workers at a time:
 * a second thread that calls while they are busy (or a task that calls back into the pool) runs
 * all its parts itself, which gives the same results.
 */
final class KernelThreadPool implements AutoCloseable {

    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();
    /** Spins (some microseconds) before a waiting thread parks: the parts of one training step come in quick succession. */
    private static final int SPINS = 1 << 10;

    private final int threads;
    private final Worker[] workers;
    /** Held by the caller whose parts the workers run; {@link #close()} takes it to stop them. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean stopped;

    KernelThreadPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("kernel threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        int pool = POOL_NUMBER.incrementAndGet();
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(w + 1);
            Thread thread = new Thread(workers[w], "propel-kernel-" + pool + "-" + (w + 1));
            thread.setDaemon(true);
            workers[w].thread = thread;
            thread.start();
        }
    }

    int threads() {
        return threads;
    }

    /**
     * The threads a kernel called now may split over: all of them, or 1 while the workers run a caller's
     * parts. A kernel called from inside such a part (a layer that splits its own loop, say) then runs whole
     * on its thread, instead of being cut into parts that this thread would run one after the other anyway,
     * each repeating the packing of a shared operand.
     */
    int threadsFree() {
        return busy.get() ? 1 : threads;
    }

    /** The worker threads' ids, for tests that account for the workers' allocations. */
    long[] workerThreadIds() {
        long[] ids = new long[workers.length];
        for (int w = 0; w < ids.length; w++) {
            ids[w] = workers[w].thread.threadId();
        }
        return ids;
    }

    /**
     * Runs {@code task.accept(part)} for every part in {@code [0, parts)}, part 0 on the calling
     * thread and the others on the workers, and returns when all have finished. The first failure
     * is rethrown after every part has stopped, so no worker still writes into the caller's arrays.
     */
    void forEachPart(int parts, IntConsumer task) {
        if (parts <= 1 || workers.length == 0 || !busy.compareAndSet(false, true)) {
            runAll(parts, task);
            return;
        }
        try {
            if (stopped) {
                runAll(parts, task);
                return;
            }
            int started = Math.min(parts - 1, workers.length);
            Thread caller = Thread.currentThread();
            for (int w = 0; w < started; w++) {
                workers[w].start(task, parts, caller);
            }
            Throwable failure = null;
            for (int part = 0; part < parts; part += threads) {
                failure = runPart(task, part, failure);
            }
            for (int w = 0; w < started; w++) {
                failure = keepFirst(failure, workers[w].await());
            }
            rethrow(failure);
        } finally {
            busy.set(false);
        }
    }

    /** Stops the workers (after the parts they are running); later calls run on the calling thread. */
    @Override
    public void close() {
        while (!busy.compareAndSet(false, true)) {
            Thread.onSpinWait();
        }
        try {
            stopped = true;
            for (Worker worker : workers) {
                LockSupport.unpark(worker.thread);
            }
        } finally {
            busy.set(false);
        }
    }

    private static void runAll(int parts, IntConsumer task) {
        Throwable failure = null;
        for (int part = 0; part < parts; part++) {
            failure = runPart(task, part, failure);
        }
        rethrow(failure);
    }

    /** Runs one part; a failure is kept (the first one, the others suppressed) so that every part still runs. */
    private static Throwable runPart(IntConsumer task, int part, Throwable failure) {
        try {
            task.accept(part);
            return failure;
        } catch (Throwable e) { // even an undeclared checked one: a worker must never die with its slot taken
            return keepFirst(failure, e);
        }
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("a kernel worker thread failed: " + failure, failure);
        }
    }

    private static Throwable keepFirst(Throwable first, Throwable next) {
        if (first == null || next == null) {
            return first == null ? next : first;
        }
        if (next != first) {
            first.addSuppressed(next);
        }
        return first;
    }

    /**
     * One worker thread and its task slot. The caller writes the slot, then bumps {@code started}
     * (volatile); the worker runs its parts, then sets {@code finished} to the same number and wakes
     * the caller. The volatile pair also makes each side's array writes visible to the other.
     */
    private final class Worker implements Runnable {
        private final int first;
        Thread thread;
        private IntConsumer task;
        private int parts;
        private Thread caller;
        private Throwable failure;
        private volatile long started;
        private volatile long finished;

        Worker(int first) {
            this.first = first;
        }

        void start(IntConsumer task, int parts, Thread caller) {
            this.task = task;
            this.parts = parts;
            this.caller = caller;
            this.failure = null;
            started = started + 1;
            LockSupport.unpark(thread);
        }

        /** Waits (uninterruptibly: the parts write into the caller's arrays) until this worker's parts ended. */
        Throwable await() {
            long generation = started;
            for (int spin = 0; finished != generation; spin++) {
                if (spin < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            Throwable result = failure;
            task = null;
            caller = null;
            failure = null;
            return result;
        }

        @Override
        public void run() {
            long done = 0;
            while (true) {
                for (int spin = 0; started == done; spin++) {
                    if (stopped) {
                        return;
                    }
                    if (spin < SPINS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                done = started;
                Throwable failed = null;
                for (int part = first; part < parts; part += threads) {
                    failed = runPart(task, part, failed);
                }
                failure = failed;
                Thread waiting = caller;
                finished = done;
                LockSupport.unpark(waiting);
            }
        }
    }
}
