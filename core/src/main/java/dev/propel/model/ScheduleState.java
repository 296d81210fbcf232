package dev.propel.model;

import java.util.List;
import java.util.Objects;

/**
 * A learning-rate schedule as a model file records it, next to the optimizer: its components
 * (type id + resolved attributes, outermost first, each but the last wrapping the next, e.g.
 * {@code [warmup, cosine]}), whether a step is an {@code "epoch"} or a {@code "batch"}, and the steps
 * taken when the file was saved. With it a resumed run continues at the same learning rate.
 */
public record ScheduleState(List<ComponentSpec> chain, String per, long step) {
    /** Checks the fields and copies the chain. */
    public ScheduleState {
        chain = List.copyOf(chain);
        Objects.requireNonNull(per, "per");
        if (chain.isEmpty()) throw new IllegalArgumentException("a saved learning-rate schedule needs at least one component");
        if (step < 0) throw new IllegalArgumentException("learning-rate schedule step must be >= 0, got " + step);
    }

    /** The type ids of the chain, e.g. "warmup > cosine". */
    public String describe() {
        return String.join(" > ", chain.stream().map(ComponentSpec::type).toList());
    }
}
