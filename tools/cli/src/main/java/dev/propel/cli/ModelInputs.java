package dev.propel.cli;

import dev.propel.model.Model;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

/**
 * Examples as a model takes them: the command line feeds {@code [n, 784]} rows to a model whose spec
 * declares {@code [1, 28, 28]} (or {@code [28, 28]}) as a view in that shape, row-major, because the
 * spec's input is the user's statement of the layout. The core itself never guesses layouts.
 */
final class ModelInputs {
    private ModelInputs() {
    }

    /** {@code x} seen in the model's input shape when only the layout differs; unchanged otherwise (the model then names the mismatch). */
    static Tensor shapedFor(Model model, Tensor x) {
        Shape in = model.inputShape();
        if (x.shape().rank() < 1 || !x.isDense() || x.rowSize() != in.size() || x.shape().withoutBatch().equals(in)) return x;
        return x.view(in.withBatch(x.rows()));
    }
}
