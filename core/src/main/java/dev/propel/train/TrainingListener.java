package dev.propel.train;

/** Observes training: progress bars, metric logs, early stopping, checkpoints. All methods optional. */
public interface TrainingListener {

    default void onTrainingStart(TrainingRun run) {
    }

    default void onEpochStart(TrainingRun run, int epoch) {
    }

    default void onBatchEnd(TrainingRun run, BatchResult batch) {
    }

    default void onEpochEnd(TrainingRun run, EpochMetrics metrics) {
    }

    default void onTrainingEnd(TrainingRun run, TrainingHistory history) {
    }
}
