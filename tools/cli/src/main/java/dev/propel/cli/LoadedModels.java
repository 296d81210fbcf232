package dev.propel.cli;

import dev.propel.data.Dataset;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelFormatException;
import dev.propel.model.PredictionRule;
import dev.propel.train.ff.ForwardForwardFile;

import java.nio.file.Path;

/** Checks shared by the commands that run a saved model on data. */
final class LoadedModels {
    private LoadedModels() {
    }

    /** The model's prediction rule must be one this Propel applies (argmax, identity or forward_forward; see {@link SavedPredictor}). */
    static void requireKnownRule(Path file, LoadedModel m) {
        String rule = m.saved().prediction().type();
        if (!rule.equals(PredictionRule.ARGMAX) && !rule.equals(PredictionRule.IDENTITY) && !rule.equals(ForwardForwardFile.RULE)) {
            throw new ModelFormatException(file + " predicts with rule '" + rule + "', which this Propel cannot apply "
                    + "(it knows argmax, identity and " + ForwardForwardFile.RULE + "); use a Propel that supports it");
        }
    }

    /** The data's examples and targets must fit the model. */
    static void requireFits(Path file, Model model, Dataset data, String dataName) {
        if (data.featureShape().size() != model.inputShape().size()) {
            throw new IllegalArgumentException(file + " takes inputs of shape " + model.inputShape() + " but the examples of '"
                    + dataName + "' have shape " + data.featureShape());
        }
        if (data.targets().rowSize() != model.outputShape().size()) {
            throw new IllegalArgumentException(file + " produces " + model.outputShape() + " but '" + dataName + "' has "
                    + (data.isClassification() ? data.classes() + " classes" : data.targets().rowSize() + " targets per example"));
        }
    }
}
