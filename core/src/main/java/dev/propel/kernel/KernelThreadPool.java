package dev.propel.kernel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The fixed pool of daemon threads that the Vector API kernels split large products over. The
 * calling thread always does one share of the work itself, so a pool for {@code threads} threads
 * holds {@code threads − 1} workers. After {@link #close()}, work runs on the calling thread alone,
 * which gives the same results (kernels never let the split change a result).
 */
final class KernelThreadPool implements AutoCloseable {

    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final int threads;
    private final ExecutorService workers;

    KernelThreadPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("kernel threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, daemonThreads());
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code task.accept(part)} for every part in {@code [0, parts)}, part 0 on the calling
     * thread and the others on the workers, and returns when all have finished. The first failure
     * is rethrown after every part has stopped, so no worker still writes into the caller's arrays.
     */
    void forEachPart(int parts, IntConsumer task) {
        if (parts <= 1 || workers == null) {
            for (int part = 0; part < parts; part++) {
                task.accept(part);
            }
            return;
        }
        Future<?>[] futures = new Future<?>[parts];
        for (int part = 1; part < parts; part++) {
            int p = part;
            try {
                futures[part] = workers.submit(() -> task.accept(p));
            } catch (RejectedExecutionException closed) {
                futures[part] = null; // the pool was closed: this part runs on the caller below
            }
        }
        Throwable failure = null;
        try {
            task.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int part = 1; part < parts; part++) {
            try {
                if (futures[part] == null) {
                    task.accept(part);
                } else {
                    awaitUninterruptibly(futures[part]);
                }
            } catch (ExecutionException e) {
                failure = keepFirst(failure, e.getCause());
            } catch (RuntimeException | Error e) {
                failure = keepFirst(failure, e);
            }
        }
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

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdown();
        }
    }

    private static Throwable keepFirst(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (next != first) {
            first.addSuppressed(next);
        }
        return first;
    }

    // The parts write into the caller's arrays, so the caller must not return before they end,
    // even when interrupted; the interrupt is kept for the caller to see.
    private static void awaitUninterruptibly(Future<?> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    future.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ThreadFactory daemonThreads() {
        int pool = POOL_NUMBER.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "propel-kernel-" + pool + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
