package dev.propel.spi;

/**
 * A learning-rate schedule as data: a type id and validated attributes (which is all a model file
 * records of it), and the rate as a pure function of the step. A step is an epoch or a batch, as the
 * training run is configured ({@code per}); the schedule itself does not know which.
 *
 * <p>Implementations are immutable and hold no position: the trainer passes the step, so a resumed run
 * only has to know how many steps were taken to continue at the same rate.
 */
public interface Schedule {

    /** The type id this schedule was created for, e.g. {@code cosine}. */
    String typeId();

    /** The resolved attributes it was created with, in schema order. */
    Attributes attributes();

    /** The schedule this one hands over to (e.g. after a warmup), or {@code null}. */
    default Schedule wrapped() {
        return null;
    }

    /**
     * The learning rate for step {@code step} (counting from 0) of a run of {@code totalSteps} steps,
     * from the optimizer's base rate. {@code totalSteps} lets a schedule span "the whole run"; a schedule
     * with a fixed length (e.g. cosine with {@code t_max}) ignores it.
     */
    float rate(float baseRate, long step, long totalSteps);
}
