package dev.propel.spark;

import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.spi.Parameter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The executor's models of the current training run, one per concurrently running task (a session
 * belongs to one thread), kept between steps so a step costs no model building. Only the newest run's
 * models are kept: an executor serving a new run drops the older ones.
 */
final class Workers {
    private static final Map<String, ConcurrentLinkedQueue<Worker>> IDLE = new ConcurrentHashMap<>();

    private Workers() {
    }

    /** A model built from the run's spec, its training session and parameters in model order. */
    record Worker(Model model, ModelSession session, List<Parameter> parameters) {
    }

    static Worker borrow(String run, ShippedSpec spec) {
        ConcurrentLinkedQueue<Worker> idle = IDLE.get(run);
        if (idle == null) {
            synchronized (IDLE) {
                IDLE.keySet().removeIf(other -> !other.equals(run));
                idle = IDLE.computeIfAbsent(run, r -> new ConcurrentLinkedQueue<>());
            }
        }
        Worker w = idle.poll();
        if (w != null) return w;
        return create(ExecutorPropel.get(), spec);
    }

    static Worker create(Propel propel, ShippedSpec spec) {
        Model model = propel.build(spec.spec(), 0);
        ModelSession session = model.trainingSession(0);
        return new Worker(model, session, session.parameters());
    }

    static void giveBack(String run, Worker worker) {
        ConcurrentLinkedQueue<Worker> idle = IDLE.get(run);
        if (idle != null) idle.add(worker);
    }
}
