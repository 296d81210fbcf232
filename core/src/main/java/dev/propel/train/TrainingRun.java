package dev.propel.train;

import dev.propel.model.Model;

/** What a {@link TrainingListener} may see of and do to a training run in progress. */
public interface TrainingRun {

    Model model();

    TrainingConfig config();

    int totalEpochs();

    int batchesPerEpoch();

    int samplesPerEpoch();

    /** Ends training after the current epoch; {@code reason} is recorded in the history. */
    void requestStop(String reason);
}
