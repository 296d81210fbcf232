package dev.propel.spark;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A test-only failure injector: makes the task of one partition fail once at one step, after it has
 * computed its gradient, so tests can check that Spark's retry of that task leaves the step as it would
 * have been. Only reaches tasks running in the JVM that armed it (local mode); disarmed, it costs one
 * volatile read per task.
 */
final class TaskFaults {
    private record Trigger(int partition, long step) {
    }

    private static final AtomicReference<Trigger> ARMED = new AtomicReference<>();

    private TaskFaults() {
    }

    /** Makes the next task of {@code partition} at step {@code step} (from 1) throw, once. */
    static void failOnce(int partition, long step) {
        ARMED.set(new Trigger(partition, step));
    }

    /** True while an armed failure has not happened yet. */
    static boolean pending() {
        return ARMED.get() != null;
    }

    static void check(int partition, long step) {
        Trigger t = ARMED.get();
        if (t != null && t.partition() == partition && t.step() == step && ARMED.compareAndSet(t, null)) {
            throw new IllegalStateException("injected failure of the task of partition " + partition + " at step " + step);
        }
    }
}
