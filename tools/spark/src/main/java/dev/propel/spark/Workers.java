package dev.propel.spark;

import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.spi.Parameter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The executor's models of the current training run, one per concurrently running task (a session
 * belongs to one thread), kept between steps so a step costs no model building. Only the newest run's
 * models are kept: an executor serving a new run drops the older ones.
 */
final class Workers {
    private static final Map<String, ConcurrentLinkedQueue<Object>> IDLE = new ConcurrentHashMap<>();

    private Workers() {
    }

    /** A model built from the run's spec, its training session and parameters in model order. */
    record Worker(Model model, ModelSession session, List<Parameter> parameters) {
    }

    /** An idle worker of {@code run}, or a new one from {@code create}; a run's workers are all of one kind. */
    @SuppressWarnings("unchecked")
    static <W> W borrow(String run, Supplier<W> create) {
        ConcurrentLinkedQueue<Object> idle = IDLE.get(run);
        if (idle == null) {
            synchronized (IDLE) {
                IDLE.keySet().removeIf(other -> !other.equals(run));
                idle = IDLE.computeIfAbsent(run, r -> new ConcurrentLinkedQueue<>());
            }
        }
        Object w = idle.poll();
        return w != null ? (W) w : create.get();
    }

    static Worker create(Propel propel, ShippedSpec spec) {
        Model model = propel.build(spec.spec(), 0);
        ModelSession session = model.trainingSession(0);
        return new Worker(model, session, session.parameters());
    }

    static void giveBack(String run, Object worker) {
        ConcurrentLinkedQueue<Object> idle = IDLE.get(run);
        if (idle != null) idle.add(worker);
    }
}
