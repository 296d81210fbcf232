package dev.propel.spark;

import dev.propel.Propel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * The registry of an executor JVM, made once on first use, with the plugins on its class path and one
 * kernel thread (Spark runs one task per core, so tasks are the parallelism). When the executor was
 * started without {@code --add-modules jdk.incubator.vector}, the core falls back to its scalar kernels —
 * the same numbers, slower — and its warning goes to the executor's log through this class's logger.
 */
final class ExecutorPropel {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorPropel.class);
    private static volatile Propel instance;

    private ExecutorPropel() {
    }

    static Propel get() {
        Propel p = instance;
        if (p == null) {
            synchronized (ExecutorPropel.class) {
                p = instance;
                if (p == null) {
                    p = create(LOG::warn);
                    instance = p;
                    LOG.info("Propel on this executor: {} kernels", p.kernels().name());
                }
            }
        }
        return p;
    }

    /** A registry for one task thread whose fallback warning (if any) goes to {@code log}. */
    static Propel create(Consumer<String> log) {
        return Propel.builder().threads(1).warnings(log).build();
    }
}
