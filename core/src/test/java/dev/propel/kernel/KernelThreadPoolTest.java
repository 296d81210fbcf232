package dev.propel.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

class KernelThreadPoolTest {

    @Test
    void runsEveryPartOnceWithPartZeroOnTheCaller() {
        try (KernelThreadPool pool = new KernelThreadPool(3)) {
            AtomicReferenceArray<Thread> ranOn = new AtomicReferenceArray<>(5);
            pool.forEachPart(5, part -> assertSame(null, ranOn.getAndSet(part, Thread.currentThread())));
            assertSame(Thread.currentThread(), ranOn.get(0));
            for (int part = 1; part < 5; part++) {
                Thread thread = ranOn.get(part);
                assertTrue(thread == Thread.currentThread() || thread.isDaemon(), "part " + part + " on " + thread);
                assertTrue(thread == Thread.currentThread() || thread.getName().startsWith("propel-kernel-"));
            }
        }
    }

    @Test
    void rethrowsAFailureAfterAllPartsEnded() {
        try (KernelThreadPool pool = new KernelThreadPool(2)) {
            AtomicInteger finished = new AtomicInteger();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.forEachPart(4, part -> {
                if (part == 1) {
                    throw new IllegalStateException("part 1 failed");
                }
                finished.incrementAndGet();
            }));
            assertEquals("part 1 failed", e.getMessage());
            assertEquals(3, finished.get());
        }
    }

    @Test
    void afterCloseTheCallerRunsAllParts() {
        KernelThreadPool pool = new KernelThreadPool(2);
        pool.close();
        Thread caller = Thread.currentThread();
        AtomicInteger count = new AtomicInteger();
        pool.forEachPart(3, part -> {
            assertSame(caller, Thread.currentThread(), "part " + part);
            count.incrementAndGet();
        });
        assertEquals(3, count.get());
    }

    @Test
    void rejectsNonPositiveThreadCount() {
        assertThrows(IllegalArgumentException.class, () -> new KernelThreadPool(0));
    }

    /** Handing parts to the workers allocates nothing, on the calling thread or on the workers. */
    @Test
    void splittingAllocatesNothingOnAnyThread() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (KernelThreadPool pool = new KernelThreadPool(3)) {
            long[] sums = new long[6];
            IntConsumer task = part -> sums[part] += part; // captures nothing per call: one object
            for (int i = 0; i < 1000; i++) pool.forEachPart(6, task);
            long[] workers = pool.workerThreadIds();
            long[] before = threads.getThreadAllocatedBytes(workers);
            long callerBefore = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) pool.forEachPart(6, task);
            long callerAllocated = threads.getCurrentThreadAllocatedBytes() - callerBefore;
            long[] after = threads.getThreadAllocatedBytes(workers);
            assertEquals(0, callerAllocated, "bytes allocated by the caller for 1000 splits");
            for (int w = 0; w < workers.length; w++) {
                assertEquals(before[w], after[w], "bytes allocated by worker " + (w + 1) + " for 1000 splits");
            }
            assertEquals(5 * 2000, sums[5], "part 5 ran every time");
        }
    }

    /** Two callers at once: the one that finds the workers busy runs its parts itself; both get every part. */
    @Test
    void concurrentCallersEachRunAllTheirParts() throws Exception {
        try (KernelThreadPool pool = new KernelThreadPool(2)) {
            AtomicLong[] counts = {new AtomicLong(), new AtomicLong()};
            CountDownLatch go = new CountDownLatch(1);
            Thread[] callers = new Thread[2];
            AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(2);
            for (int t = 0; t < 2; t++) {
                AtomicLong count = counts[t];
                int caller = t;
                callers[t] = new Thread(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < 2000; i++) pool.forEachPart(3, part -> count.addAndGet(part + 1));
                    } catch (Throwable e) {
                        failures.set(caller, e);
                    }
                });
                callers[t].start();
            }
            go.countDown();
            for (Thread caller : callers) caller.join(60_000);
            for (int t = 0; t < 2; t++) {
                assertSame(null, failures.get(t));
                assertEquals(2000L * (1 + 2 + 3), counts[t].get(), "caller " + t);
            }
        }
    }

    /** A part that calls back into the pool runs the inner parts on its own thread instead of waiting forever. */
    @Test
    void nestedCallsRunOnTheCallingThread() {
        try (KernelThreadPool pool = new KernelThreadPool(2)) {
            AtomicInteger inner = new AtomicInteger();
            pool.forEachPart(2, outer -> pool.forEachPart(3, part -> inner.incrementAndGet()));
            assertEquals(6, inner.get());
        }
    }
}
