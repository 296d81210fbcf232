package dev.propel.train;

/** How many examples each update sees. */
public enum GradientDescent {
    /** One update per epoch from the whole training set. */
    BATCH,
    /** One update per {@code batchSize} examples (the default). */
    MINI_BATCH,
    /** One update per example. */
    STOCHASTIC
}
