package dev.propel.data;

/** A dataset's training and test splits. */
public record TrainTest(Dataset train, Dataset test) {
}
