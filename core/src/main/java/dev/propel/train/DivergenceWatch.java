package dev.propel.train;

import java.util.Locale;

/**
 * Detects a run whose loss explodes to finite garbage (a learning rate of 1e6 drives the loss to
 * 1e13 and the model to chance level without a single NaN). The watched value is the running mean
 * of the current epoch's batch losses, judged once it covers {@link #WARM_UP_BATCHES} batches (or the
 * whole epoch, if shorter), so that one unlucky batch does not count. The reference, the best loss so
 * far, is the lower of the run's first batch loss (the model before any step of this run) and the
 * lowest epoch mean of the run. Training has diverged when the running mean exceeds {@link #GROWTH}
 * times the reference, the reference being at least {@link #REFERENCE_FLOOR} so that a near-zero loss
 * (a model that fits its data) followed by ordinary noise is not taken for divergence. NaN and
 * infinity are caught elsewhere, at once.
 */
final class DivergenceWatch {
    /** How many times the best loss so far the running mean may reach: three orders of magnitude. */
    static final double GROWTH = 1e3;
    /** The smallest reference: with it, a mean loss below GROWTH x 0.01 = 10 is never divergence. */
    static final double REFERENCE_FLOOR = 1e-2;
    /** Batches of an epoch in the running mean before it is judged. */
    static final int WARM_UP_BATCHES = 10;

    private final int warmUp;
    private double best = Double.POSITIVE_INFINITY;
    private double sum;
    private long examples;
    private int batchesSeen;

    /** A watch over epochs of {@code batchesPerEpoch} batches. */
    DivergenceWatch(int batchesPerEpoch) {
        warmUp = Math.min(WARM_UP_BATCHES, batchesPerEpoch);
    }

    /** Starts an epoch. */
    void startEpoch() {
        sum = 0;
        examples = 0;
        batchesSeen = 0;
    }

    /**
     * Adds a batch's mean loss over {@code count} examples; throws when the run has diverged, naming
     * {@code where} the loss comes from.
     */
    void batch(int epoch, int batch, float loss, int count, String where) {
        if (best == Double.POSITIVE_INFINITY) best = loss; // the run's first batch
        sum += (double) loss * count;
        examples += count;
        if (++batchesSeen < warmUp) return;
        double mean = sum / examples;
        double reference = Math.max(REFERENCE_FLOOR, best);
        if (mean > GROWTH * reference) {
            throw new TrainingDivergedException(epoch, batch, where, String.format(Locale.ROOT,
                    "the mean loss of this epoch has grown to %.4g, more than %.0f times the best so far (%.4g)", mean, GROWTH, reference));
        }
    }

    /** Ends an epoch: its mean loss may become the new best. */
    void endEpoch() {
        if (examples > 0) best = Math.min(best, sum / examples);
    }
}
