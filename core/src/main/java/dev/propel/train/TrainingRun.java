package dev.propel.train;

import dev.propel.model.Model;

/** What a {@link TrainingListener} may see of and do to a training run in progress. */
public interface TrainingRun {

    /** The model being trained. */
    Model model();

    /** The configuration of this run. */
    TrainingConfig config();

    /** The epoch count the run goes to (including epochs done before a resume). */
    int totalEpochs();

    /** Batches per epoch at the configured batch size. */
    int batchesPerEpoch();

    /** Training examples per epoch (after any validation split). */
    int samplesPerEpoch();

    /**
     * Bytes of the working arrays the run holds for its passes — activations, their gradients, the batch being
     * trained — but not the parameters, their gradients or optimizer state. Backprop keeps every layer's
     * activations for the backward pass; Forward-Forward only one block's at a time.
     */
    long activationBytes();

    /**
     * Ends training; {@code reason} is recorded in the history. The backprop {@link Trainer} stops after the
     * current batch (asked from {@code onEpochEnd}: after that epoch), the Forward-Forward trainer after the
     * current epoch.
     */
    void requestStop(String reason);
}
