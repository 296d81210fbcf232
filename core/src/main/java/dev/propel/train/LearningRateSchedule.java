package dev.propel.train;

import dev.propel.spi.Schedule;
import dev.propel.train.schedule.ConstantSchedule;
import dev.propel.train.schedule.CosineSchedule;
import dev.propel.train.schedule.LinearHalfSchedule;
import dev.propel.train.schedule.Schedules;
import dev.propel.train.schedule.StepSchedule;

import java.util.Map;

/**
 * The learning rate for each epoch (or batch), from the optimizer's base rate. Epochs and batches count
 * from 0 here.
 *
 * <p>The factories below return {@link ComponentSchedule}s: schedules as data (a type id and
 * attributes), which a model file records so that a resumed run continues at the same rate. A lambda
 * is still a schedule, but one no file can record.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The rate for epoch {@code epoch} (from 0) of {@code totalEpochs}, given the optimizer's base rate. */
    float rate(float baseRate, int epoch, int totalEpochs);

    /**
     * The rate for batch {@code batch} (of {@code batchesPerEpoch}) of epoch {@code epoch}; the trainers
     * ask this before every batch. A per-epoch schedule (the default) gives its epoch's rate.
     */
    default float rate(float baseRate, int epoch, int batch, int batchesPerEpoch, int totalEpochs) {
        return rate(baseRate, epoch, totalEpochs);
    }

    /** {@code schedule} stepped once per epoch or once per batch. */
    static ComponentSchedule of(Schedule schedule, ScheduleUnit per) {
        return ComponentSchedule.of(schedule, per);
    }

    /** The base rate throughout. */
    static ComponentSchedule constant() {
        return perEpoch(ConstantSchedule.TYPE, Map.of());
    }

    /** {@code base · gamma^⌊epoch / every⌋} (Keras/PyTorch StepLR). */
    static ComponentSchedule step(int every, float gamma) {
        return perEpoch(StepSchedule.TYPE, Map.of("step_size", every, "gamma", gamma));
    }

    /** Cosine annealing from base to {@code minRate} over the run: {@code min + (base−min)·(1+cos(π·e/E))/2}. */
    static ComponentSchedule cosine(float minRate) {
        return perEpoch(CosineSchedule.TYPE, Map.of("eta_min", minRate));
    }

    /**
     * Hinton's Forward-Forward schedule ({@code ffnew.m}): the base rate for the first half of the run,
     * then a linear decay towards 0 — {@code base · (1 + 2(E − e))/E} for the 1-based epoch {@code e > E/2}
     * (the last epoch runs at {@code base/E}).
     */
    static ComponentSchedule linearHalf() {
        return perEpoch(LinearHalfSchedule.TYPE, Map.of());
    }

    private static ComponentSchedule perEpoch(String type, Map<String, ?> attributes) {
        return of(Schedules.builtIn(type, attributes), ScheduleUnit.EPOCH);
    }

    /**
     * Parses the short forms the CLI has always taken: "constant", "step:EVERY:GAMMA" (e.g. step:3:0.5),
     * "cosine[:MIN]" or "linear-half" (also "linear_half"), each stepped per epoch.
     */
    static ComponentSchedule parse(String text) {
        String[] p = text.trim().split(":");
        try {
            return switch (p[0]) {
                case "constant" -> p.length == 1 ? constant() : fail(text);
                case "step" -> p.length == 3 ? step(Integer.parseInt(p[1]), Float.parseFloat(p[2])) : fail(text);
                case "cosine" -> p.length <= 2 ? cosine(p.length == 2 ? Float.parseFloat(p[1]) : 0f) : fail(text);
                case "linear-half", "linear_half" -> p.length == 1 ? linearHalf() : fail(text);
                default -> fail(text);
            };
        } catch (NumberFormatException e) {
            return fail(text);
        }
    }

    private static ComponentSchedule fail(String text) {
        throw new IllegalArgumentException("unknown learning-rate schedule '" + text
                + "'; use constant, step:EVERY:GAMMA (e.g. step:3:0.5), cosine[:MIN_RATE] or linear-half");
    }
}
