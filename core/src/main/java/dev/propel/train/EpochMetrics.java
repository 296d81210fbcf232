package dev.propel.train;

/**
 * What one epoch measured. Epochs count from 1. Accuracy is NaN for regression data; validation
 * figures are NaN when there is no validation data.
 */
public record EpochMetrics(int epoch, float trainLoss, float trainAccuracy, float validationLoss,
                           float validationAccuracy, float learningRate, double seconds, long samples) {

    /** Whether the epoch was measured on validation data. */
    public boolean hasValidation() {
        return !Float.isNaN(validationLoss);
    }
}
