package dev.propel.train;

import dev.propel.model.ScheduleState;
import dev.propel.spi.Schedule;
import dev.propel.spi.ScheduleFactory;
import dev.propel.train.schedule.Schedules;

import java.util.Objects;
import java.util.function.Function;

/**
 * A learning-rate schedule given as data: a {@link Schedule} component (type id + attributes), stepped
 * per epoch or per batch. Unlike a schedule written as a lambda, a model file can record it
 * ({@link ScheduleState}), so a resumed run continues at the same rate.
 *
 * <p>A schedule restored from a file also knows the step it was saved at; the trainer checks that the
 * resumed run starts there (it would not if the data or the batch size changed).
 */
public final class ComponentSchedule implements LearningRateSchedule {
    private final Schedule schedule;
    private final ScheduleUnit per;
    /** Steps taken when saved, or -1 for a schedule not restored from a file. */
    private final long savedStep;

    private ComponentSchedule(Schedule schedule, ScheduleUnit per, long savedStep) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.per = Objects.requireNonNull(per, "per");
        this.savedStep = savedStep;
    }

    /** A schedule as data, stepped per {@code per} (epoch or batch). */
    public static ComponentSchedule of(Schedule schedule, ScheduleUnit per) {
        return new ComponentSchedule(schedule, per, -1);
    }

    /**
     * The schedule a file recorded, its types found by {@code factories} (e.g. {@code propel::scheduleFactory}),
     * remembering the step it was saved at.
     */
    public static ComponentSchedule restore(ScheduleState state, Function<String, ScheduleFactory> factories) {
        return new ComponentSchedule(Schedules.build(state.chain(), factories), ScheduleUnit.parse(state.per()), state.step());
    }

    /** The schedule (a chain of components) this one evaluates. */
    public Schedule schedule() {
        return schedule;
    }

    /** Whether the schedule steps per epoch or per batch. */
    public ScheduleUnit per() {
        return per;
    }

    /** Steps taken when the file was saved, or -1 when this schedule was not restored from a file. */
    public long savedStep() {
        return savedStep;
    }

    /** Same schedule stepped per {@code unit}. */
    public ComponentSchedule per(ScheduleUnit unit) {
        return new ComponentSchedule(schedule, unit, savedStep);
    }

    /** What a file records after {@code epochsDone} epochs of {@code batchesPerEpoch} batches. */
    public ScheduleState state(int epochsDone, int batchesPerEpoch) {
        return new ScheduleState(Schedules.chainOf(schedule), per.id(), steps(epochsDone, batchesPerEpoch));
    }

    /** Steps taken after {@code epochs} epochs of {@code batchesPerEpoch} batches. */
    long steps(int epochs, int batchesPerEpoch) {
        return per == ScheduleUnit.BATCH ? (long) epochs * batchesPerEpoch : epochs;
    }

    /**
     * Refuses to resume after {@code epochsDone} epochs of {@code batchesPerEpoch} batches when that is
     * not the step the schedule was saved at.
     */
    void checkResumesAt(int epochsDone, int batchesPerEpoch) {
        long at = steps(epochsDone, batchesPerEpoch);
        if (savedStep >= 0 && savedStep != at) {
            throw new IllegalArgumentException("the learning-rate schedule (" + describe() + ") was saved after " + savedStep
                    + " " + per.id() + " steps, but resuming after " + epochsDone + " epochs of " + batchesPerEpoch
                    + " batches starts it at step " + at + "; resume with the training data, batch size and validation split"
                    + " of the saved run");
        }
    }

    @Override
    public float rate(float baseRate, int epoch, int totalEpochs) {
        if (per == ScheduleUnit.BATCH) {
            throw new IllegalStateException("the learning-rate schedule " + describe() + " steps per batch; ask for a batch's rate"
                    + " with rate(base, epoch, batch, batchesPerEpoch, totalEpochs)");
        }
        return schedule.rate(baseRate, epoch, totalEpochs);
    }

    @Override
    public float rate(float baseRate, int epoch, int batch, int batchesPerEpoch, int totalEpochs) {
        if (per == ScheduleUnit.EPOCH) return schedule.rate(baseRate, epoch, totalEpochs);
        return schedule.rate(baseRate, (long) epoch * batchesPerEpoch + batch, (long) totalEpochs * batchesPerEpoch);
    }

    /** "warmup > cosine per batch". */
    public String describe() {
        return state(0, 0).describe() + " per " + per.id();
    }

    @Override
    public String toString() {
        return describe() + " " + Schedules.chainOf(schedule);
    }
}
