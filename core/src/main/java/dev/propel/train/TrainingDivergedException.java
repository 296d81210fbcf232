package dev.propel.train;

import dev.propel.spi.PropelException;

/** NaN or infinity appeared in the loss or a gradient. Names the epoch, batch and layer. */
public class TrainingDivergedException extends PropelException {
    private final int epoch;
    private final int batch;
    private final String where;

    /**
     * Training diverged at batch {@code batch} of epoch {@code epoch}, in {@code where}; {@code detail} says what was
     * found (NaN or infinity).
     */
    public TrainingDivergedException(int epoch, int batch, String where, String detail) {
        super("training diverged at epoch " + epoch + ", batch " + batch + ": " + detail + " in " + where
                + ". Lower the learning rate, enable gradient clipping (clip norm), or check the data for NaN/Inf values");
        this.epoch = epoch;
        this.batch = batch;
        this.where = where;
    }

    /** The epoch (from 1) in which the loss or a gradient stopped being finite. */
    public int epoch() {
        return epoch;
    }

    /** The batch of that epoch, counted from 0. */
    public int batch() {
        return batch;
    }

    /** "the loss" or "gradient of parameter 'dense_0.weight' (layer 'dense_0')". */
    public String where() {
        return where;
    }
}
