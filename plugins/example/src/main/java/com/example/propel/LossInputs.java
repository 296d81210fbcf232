package com.example.propel;

import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

/** The shape checks of this plugin's losses. */
final class LossInputs {
    private LossInputs() {
    }

    /**
     * Targets must have the shape of the predictions; targets with the same batch size and the same
     * number of values per sample are accepted too (the trainer stores targets flattened per sample).
     * The gradient, when given, must hold one value per prediction.
     */
    static void check(String type, Tensor predictions, Tensor targets, Tensor gradient) {
        Shape p = predictions.shape();
        Shape t = targets.shape();
        boolean same = p.equals(t) || (p.rank() > 0 && t.rank() > 0 && predictions.rows() == targets.rows()
                && p.size() == t.size());
        if (!same) {
            throw new ShapeException("loss '" + type + "': targets must have the shape of the predictions " + p
                    + " but have shape " + t + "; give one target value per model output");
        }
        if (gradient != null && gradient.size() != predictions.size()) {
            throw new ShapeException("loss '" + type + "': the gradient tensor must hold one value per prediction ("
                    + p + ") but has shape " + gradient.shape());
        }
    }
}
