package dev.propel.model;

import dev.propel.data.Dataset;
import dev.propel.spi.PropelException;
import dev.propel.train.EpochMetrics;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a saved model was trained: the algorithm ({@code backprop} or {@code forward_forward}), the
 * settings that decide the result (epochs, gradient-descent mode, batch size, seed, shuffling,
 * validation split, clipping), the dataset, every epoch's metrics, the wall time and the kernel
 * threads, why training stopped, and algorithm-specific {@code settings} as generic attributes.
 * The optimizer type and attributes are the saved model's {@code optimizer}.
 *
 * <p>{@code epochs} is the number of epochs completed in total (including those of earlier runs when
 * training was resumed); {@code metrics} has one entry per epoch completed.
 */
public record Provenance(String algorithm, int epochs, String gradientDescent, int batchSize, long seed,
                         boolean shuffle, double validationSplit, float clipNorm, DatasetInfo dataset,
                         List<EpochMetrics> metrics, double wallSeconds, int threads, String stopReason,
                         Map<String, Object> settings) {
    public static final String BACKPROP = "backprop";
    public static final String FORWARD_FORWARD = "forward_forward";

    public Provenance {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(gradientDescent, "gradientDescent");
        if (epochs < 0) throw new PropelException("provenance epochs must be >= 0, got " + epochs);
        metrics = List.copyOf(metrics);
        stopReason = stopReason == null ? "" : stopReason;
        settings = SavedAttributes.canonical("provenance settings", settings == null ? Map.of() : settings);
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
                history.stopReason(), settings);
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
                wallSeconds + later.wallSeconds, later.threads, later.stopReason, later.settings);
    }

    /**
     * A training config that resumes this run up to {@code totalEpochs}: same seed, shuffling,
     * batching, validation split and clipping, with {@code initialEpoch} = the epochs done. Add the
     * learning-rate schedule and listeners the original run had; restore the optimizer state too
     * ({@link LoadedModel#optimizer}) for a bitwise exact continuation.
     */
    public TrainingConfig.Builder resumeConfig(int totalEpochs) {
        if (totalEpochs <= epochs) {
            throw new PropelException("the model was already trained for " + epochs
                    + " epochs; to resume, ask for more than that in total (got " + totalEpochs + ")");
        }
        TrainingConfig.Builder b = TrainingConfig.builder().epochs(totalEpochs).initialEpoch(epochs).seed(seed)
                .shuffle(shuffle).validationSplit(validationSplit).clipNorm(clipNorm);
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
