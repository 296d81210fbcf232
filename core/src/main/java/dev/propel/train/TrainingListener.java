package dev.propel.train;

/** Observes training: progress bars, metric logs, early stopping, checkpoints. All methods optional. */
public interface TrainingListener {

    /** Called once before the first epoch. */
    default void onTrainingStart(TrainingRun run) {
    }

    /** Called before each epoch; {@code epoch} counts from 1. */
    default void onEpochStart(TrainingRun run, int epoch) {
    }

    /** Called after each batch's update with its loss and learning rate (keep it cheap: it runs thousands of times). */
    default void onBatchEnd(TrainingRun run, BatchResult batch) {
    }

    /** Called after each epoch with its training and validation figures; may call {@link TrainingRun#requestStop}. */
    default void onEpochEnd(TrainingRun run, EpochMetrics metrics) {
    }

    /** Called once after training ended, normally or by a stop request. */
    default void onTrainingEnd(TrainingRun run, TrainingHistory history) {
    }
}
