package dev.propel.model;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

/**
 * Where a {@link ModelFormat} puts the tensors it reads. A reader first checks the whole file's
 * structure and sizes, then calls {@link #begin} with everything but the tensors, then asks for a
 * destination for each tensor before reading its data. A loader returns the live parameters of a
 * model built from the header, so a model's values are read straight into it, with no second copy.
 */
public interface TensorReceiver {

    /** Called once, before any tensor data is read; {@code header} has no tensors yet. */
    default void begin(SavedModel header) {
    }

    /** A tensor of exactly {@code shape} to fill with parameter {@code name}'s values. */
    Tensor parameter(String name, Shape shape);

    /** A tensor of exactly {@code shape} to fill with optimizer state tensor {@code name}'s values. */
    Tensor optimizerState(String name, Shape shape);

    /** A tensor of exactly {@code shape} to fill with layer state tensor {@code name}'s values (format 1.1). */
    default Tensor layerState(String name, Shape shape) {
        return Tensor.zeros(shape);
    }

    /** Allocates a new zero tensor for every tensor read. */
    static TensorReceiver allocating() {
        return new TensorReceiver() {
            @Override
            public Tensor parameter(String name, Shape shape) {
                return Tensor.zeros(shape);
            }

            @Override
            public Tensor optimizerState(String name, Shape shape) {
                return Tensor.zeros(shape);
            }
        };
    }
}
