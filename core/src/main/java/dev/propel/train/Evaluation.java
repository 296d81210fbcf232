package dev.propel.train;

/** A model's mean loss and accuracy (NaN for regression) on a dataset. */
public record Evaluation(float loss, float accuracy, int examples) {
}
