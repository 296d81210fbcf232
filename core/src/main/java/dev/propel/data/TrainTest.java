package dev.propel.data;

import dev.propel.tensor.Shape;

/** A dataset's training and test splits. */
public record TrainTest(Dataset train, Dataset test) {
    /** Both splits as a model of input shape {@code modelInput} takes them (see {@link Dataset#shapedFor}). */
    public TrainTest shapedFor(Shape modelInput) {
        return new TrainTest(train.shapedFor(modelInput), test.shapedFor(modelInput));
    }
}
