package dev.propel.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
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
}
