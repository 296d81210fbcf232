package dev.propel.standard.loss;

import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

/** Shape checks shared by the standard losses. They allocate nothing unless they throw. */
final class LossInputs {
    private LossInputs() {
    }

    /**
     * Targets must have the shape of the predictions. A target tensor with the same batch size and the
     * same number of values per sample is also accepted (targets flattened per sample, as the trainer
     * stores them). The gradient, when given, must have one value per prediction.
     */
    static void check(String loss, Tensor predictions, Tensor targets, Tensor gradient) {
        Shape p = predictions.shape();
        Shape t = targets.shape();
        boolean same = p.equals(t)
                || (p.rank() > 0 && t.rank() > 0 && predictions.rows() == targets.rows() && p.size() == t.size());
        if (!same) {
            throw new ShapeException("loss '" + loss + "': targets must have the shape of the predictions "
                    + p + " but have shape " + t + "; give one target value per model output");
        }
        if (gradient != null && gradient.size() != predictions.size()) {
            throw new ShapeException("loss '" + loss + "': the gradient tensor must hold one value per prediction ("
                    + p + ", " + p.size() + " values) but has shape " + gradient.shape());
        }
    }
}
