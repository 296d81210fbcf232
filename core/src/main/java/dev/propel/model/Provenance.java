package dev.propel.model;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.spi.PropelException;
import dev.propel.spi.ScheduleFactory;
import dev.propel.train.ComponentSchedule;
import dev.propel.train.EpochMetrics;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import dev.propel.train.schedule.Schedules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a saved model was trained: the algorithm ({@code backprop} or {@code forward_forward}), the
 * settings that decide the result (epochs, gradient-descent mode, batch size, seed, shuffling,
 * validation split, clipping), the dataset, every epoch's metrics, the wall time and the kernel
 * threads, why training stopped, algorithm-specific {@code settings} as generic attributes, and the
 * learning-rate {@code schedule} with its position ({@code null} when the run's schedule was a lambda, or
 * for files written before schedules were recorded: those resume with a constant rate, as before).
 * The optimizer type and attributes are the saved model's {@code optimizer}.
 *
 * <p>{@code epochs} is the number of epochs completed in total (including those of earlier runs when
 * training was resumed); {@code metrics} has one entry per epoch completed.
 */
public record Provenance(String algorithm, int epochs, String gradientDescent, int batchSize, long seed,
                         boolean shuffle, double validationSplit, float clipNorm, DatasetInfo dataset,
                         List<EpochMetrics> metrics, double wallSeconds, int threads, String stopReason,
                         Map<String, Object> settings, ScheduleState schedule) {
    /** The algorithm name of backpropagation training. */
    public static final String BACKPROP = "backprop";
    /** The algorithm name of Forward-Forward training. */
    public static final String FORWARD_FORWARD = "forward_forward";

    /** Checks the fields and copies the metrics and settings; throws {@link PropelException} for negative epochs. */
    public Provenance {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(gradientDescent, "gradientDescent");
        if (epochs < 0) throw new PropelException("provenance epochs must be >= 0, got " + epochs);
        metrics = List.copyOf(metrics);
        stopReason = stopReason == null ? "" : stopReason;
        settings = SavedAttributes.canonical("provenance settings", settings == null ? Map.of() : settings);
    }

    /** A provenance that records no learning-rate schedule. */
    public Provenance(String algorithm, int epochs, String gradientDescent, int batchSize, long seed, boolean shuffle,
                      double validationSplit, float clipNorm, DatasetInfo dataset, List<EpochMetrics> metrics,
                      double wallSeconds, int threads, String stopReason, Map<String, Object> settings) {
        this(algorithm, epochs, gradientDescent, batchSize, seed, shuffle, validationSplit, clipNorm, dataset, metrics,
                wallSeconds, threads, stopReason, settings, null);
    }

    /** The same record with another learning-rate schedule. */
    public Provenance withSchedule(ScheduleState newSchedule) {
        return new Provenance(algorithm, epochs, gradientDescent, batchSize, seed, shuffle, validationSplit, clipNorm,
                dataset, metrics, wallSeconds, threads, stopReason, settings, newSchedule);
    }

    /**
     * The provenance of a backpropagation run that just ended: {@code history} from
     * {@code Trainer.fit(model, optimizer, train, ...)} with {@code config}, on {@code threads} kernel threads.
     */
    public static Provenance backprop(TrainingConfig config, TrainingHistory history, Dataset train, int threads) {
        return of(BACKPROP, config, history, train, threads, Map.of());
    }

    /** The provenance of a run of any algorithm, with its own settings. */
    public static Provenance of(String algorithm, TrainingConfig config, TrainingHistory history, Dataset train,
                                int threads, Map<String, Object> settings) {
        int done = history.epochs().isEmpty() ? config.initialEpoch() : history.last().epoch();
        return new Provenance(algorithm, done, config.mode().name().toLowerCase(java.util.Locale.ROOT),
                config.effectiveBatchSize(train.size()), config.seed(), config.shuffle(), config.validationSplit(),
                config.clipNorm(), DatasetInfo.of(train), history.epochs(), history.seconds(), threads,
                history.stopReason(), settings, scheduleState(config, history, train, done));
    }

    /**
     * The run's schedule and the steps it took, or null for a schedule that is not data. The examples per
     * epoch are those the trainer used (after any validation split). A run whose epochs restart the
     * schedule (Forward-Forward's greedy phases, each {@code config.epochs()} long) counts only the last pass.
     */
    private static ScheduleState scheduleState(TrainingConfig config, TrainingHistory history, Dataset train, int done) {
        if (!(config.schedule() instanceof ComponentSchedule schedule)) return null;
        int examples = history.epochs().isEmpty() ? train.size() : (int) history.last().samples();
        int batch = config.effectiveBatchSize(examples);
        int epochsInPass = done - Math.max(0, done - 1) / config.epochs() * config.epochs();
        return schedule.state(epochsInPass, (examples + batch - 1) / batch);
    }

    /**
     * This run's record followed by {@code later}, a run resumed from it: epochs and settings of
     * {@code later}, the metrics of both, and their wall times added.
     */
    public Provenance followedBy(Provenance later) {
        List<EpochMetrics> all = new ArrayList<>(metrics);
        all.addAll(later.metrics);
        return new Provenance(later.algorithm, later.epochs, later.gradientDescent, later.batchSize, later.seed,
                later.shuffle, later.validationSplit, later.clipNorm, later.dataset, all,
                wallSeconds + later.wallSeconds, later.threads, later.stopReason, later.settings, later.schedule);
    }

    /**
     * A training config that resumes this run up to {@code totalEpochs}: same seed, shuffling,
     * batching, validation split, clipping and learning-rate schedule (at the step it reached), with
     * {@code initialEpoch} = the epochs done. Add the listeners the original run had; restore the
     * optimizer state too ({@link LoadedModel#optimizer}) for a bitwise exact continuation. A schedule
     * type a plugin provides needs {@link #resumeConfig(Propel, int)}.
     */
    public TrainingConfig.Builder resumeConfig(int totalEpochs) {
        return resumeConfig(totalEpochs, Schedules::builtIn);
    }

    /** {@link #resumeConfig(int)}, finding the schedule's types (the core's or a plugin's) in {@code propel}. */
    public TrainingConfig.Builder resumeConfig(Propel propel, int totalEpochs) {
        return resumeConfig(totalEpochs, propel::scheduleFactory);
    }

    private TrainingConfig.Builder resumeConfig(int totalEpochs, Function<String, ScheduleFactory> scheduleTypes) {
        if (totalEpochs <= epochs) {
            throw new PropelException("the model was already trained for " + epochs
                    + " epochs; to resume, ask for more than that in total (got " + totalEpochs + ")");
        }
        TrainingConfig.Builder b = TrainingConfig.builder().epochs(totalEpochs).initialEpoch(epochs).seed(seed)
                .shuffle(shuffle).validationSplit(validationSplit).clipNorm(clipNorm);
        if (schedule != null) {
            try {
                b.schedule(ComponentSchedule.restore(schedule, scheduleTypes));
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException("the saved learning-rate schedule (" + schedule.describe()
                        + ") cannot be restored: " + e.getMessage(), e);
            }
        }
        dev.propel.train.GradientDescent mode;
        try {
            mode = dev.propel.train.GradientDescent.valueOf(gradientDescent.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("the saved provenance names gradient-descent mode '" + gradientDescent
                    + "', which this Propel does not know; known modes: batch, mini_batch, stochastic");
        }
        return mode == dev.propel.train.GradientDescent.MINI_BATCH ? b.batchSize(batchSize) : b.mode(mode);
    }
}
