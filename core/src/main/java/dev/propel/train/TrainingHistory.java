package dev.propel.train;

import java.util.List;

/** The metrics of every epoch run, and why training stopped. */
public record TrainingHistory(List<EpochMetrics> epochs, String stopReason, double seconds) {
    /** Copies the epoch list. */
    public TrainingHistory {
        epochs = List.copyOf(epochs);
    }

    /** The metrics of the last epoch run. */
    public EpochMetrics last() {
        return epochs.getLast();
    }

    /** The epoch with the highest validation accuracy (or lowest training loss without validation). */
    public EpochMetrics best() {
        EpochMetrics best = epochs.getFirst();
        for (EpochMetrics m : epochs) {
            boolean better = m.hasValidation() && !Float.isNaN(m.validationAccuracy())
                    ? m.validationAccuracy() > best.validationAccuracy()
                    : m.trainLoss() < best.trainLoss();
            if (better) best = m;
        }
        return best;
    }
}
