package dev.propel.train;

import java.util.ArrayList;
import java.util.List;

/**
 * How to train: epochs, gradient-descent mode and batch size, seed and shuffling, validation,
 * learning-rate schedule, gradient clipping and listeners. Build with {@link #builder()}.
 */
public record TrainingConfig(int epochs, GradientDescent mode, int batchSize, long seed, boolean shuffle,
                             double validationSplit, LearningRateSchedule schedule, float clipNorm,
                             List<TrainingListener> listeners, int initialEpoch) {

    /**
     * Checks the values; throws {@link IllegalArgumentException} naming the first one out of range (epochs, batch
     * size, validation split, clip norm, initial epoch).
     */
    public TrainingConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (mode == GradientDescent.MINI_BATCH && batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("validation split must be in [0, 1), got " + validationSplit);
        }
        if (!(clipNorm >= 0)) throw new IllegalArgumentException("clip norm must be >= 0 (0 = off), got " + clipNorm);
        listeners = List.copyOf(listeners);
        if (initialEpoch < 0 || initialEpoch >= epochs) {
            throw new IllegalArgumentException("initial epoch must be in [0, epochs) = [0, " + epochs + "), got " + initialEpoch);
        }
    }

    /** Examples per update for a training set of {@code n} examples. */
    public int effectiveBatchSize(int n) {
        return switch (mode) {
            case BATCH -> n;
            case STOCHASTIC -> 1;
            case MINI_BATCH -> Math.min(batchSize, n);
        };
    }

    /**
     * A builder with the defaults: 10 epochs, mini-batch descent, batch size 32, seed 0, shuffled, no validation
     * split, no schedule or clipping.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: 10 epochs, mini-batches of 32, seed 0, shuffled, constant rate, no clipping. */
    public static final class Builder {
        private int epochs = 10;
        private GradientDescent mode = GradientDescent.MINI_BATCH;
        private int batchSize = 32;
        private long seed;
        private boolean shuffle = true;
        private double validationSplit;
        private LearningRateSchedule schedule = LearningRateSchedule.constant();
        private float clipNorm;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private int initialEpoch;

        /** Total epochs to train, counting any already done ({@link #initialEpoch}); at least 1. */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Full-batch, stochastic (one example) or mini-batch descent. */
        public Builder mode(GradientDescent mode) {
            this.mode = mode;
            return this;
        }

        /** Examples per update in {@link GradientDescent#MINI_BATCH} mode (the default mode). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** The seed of shuffling and of dropout masks, so runs repeat exactly. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether the training examples are reshuffled every epoch. */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Holds out this fraction of the training data for validation when no validation set is given. */
        public Builder validationSplit(double fraction) {
            this.validationSplit = fraction;
            return this;
        }

        /** The learning-rate schedule (default: the optimizer's rate throughout). */
        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Rescales gradients whose global L2 norm exceeds {@code maxNorm} (0 = off). */
        public Builder clipNorm(float maxNorm) {
            this.clipNorm = maxNorm;
            return this;
        }

        /**
         * Resumes a run: epochs {@code 1..initialEpoch} are taken as done (as Keras' {@code initial_epoch}).
         * With the optimizer state of those epochs restored, the result is bitwise the same as an
         * uninterrupted run: the shuffle order and dropout seeds of the skipped epochs are replayed.
         */
        public Builder initialEpoch(int initialEpoch) {
            this.initialEpoch = initialEpoch;
            return this;
        }

        /** Adds a listener; listeners are called in the order added. */
        public Builder listener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        /** The configuration; throws {@link IllegalArgumentException} for values out of range. */
        public TrainingConfig build() {
            return new TrainingConfig(epochs, mode, batchSize, seed, shuffle, validationSplit, schedule, clipNorm, listeners, initialEpoch);
        }
    }
}
