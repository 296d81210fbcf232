package dev.propel.cli;

import dev.propel.data.Dataset;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.PredictionRule;
import dev.propel.tensor.Tensor;
import dev.propel.train.Evaluation;
import dev.propel.train.Evaluator;
import dev.propel.train.ff.ForwardForwardFile;
import dev.propel.train.ff.ForwardForwardModel;

import java.nio.file.Path;

/**
 * A loaded model with its file's prediction rule applied — {@code argmax}, {@code identity} or
 * {@code forward_forward} — so {@code eval}, {@code predict} and {@code compare} give the same results
 * as right after training, whatever the algorithm.
 */
final class SavedPredictor {
    private final Path file;
    private final LoadedModel loaded;
    private final ForwardForwardModel forwardForward;

    private SavedPredictor(Path file, LoadedModel loaded, ForwardForwardModel forwardForward) {
        this.file = file;
        this.loaded = loaded;
        this.forwardForward = forwardForward;
    }

    /** The model of {@code file} as its rule predicts; an error for a rule this Propel does not know. */
    static SavedPredictor of(Path file, LoadedModel loaded) {
        LoadedModels.requireKnownRule(file, loaded);
        ForwardForwardModel ff = ForwardForwardFile.isForwardForward(loaded.saved())
                ? ForwardForwardFile.restore(file.toString(), loaded.model(), loaded.saved()) : null;
        return new SavedPredictor(file, loaded, ff);
    }

    LoadedModel loaded() {
        return loaded;
    }

    Model model() {
        return loaded.model();
    }

    /** The Forward-Forward network, or null for a model whose outputs are its predictions. */
    ForwardForwardModel forwardForward() {
        return forwardForward;
    }

    /** Whether it predicts classes (argmax or Forward-Forward) rather than values. */
    boolean classifies() {
        return forwardForward != null || loaded.saved().prediction().type().equals(PredictionRule.ARGMAX);
    }

    /** Values per example the input must have. */
    int inputSize() {
        return loaded.model().inputShape().size();
    }

    /** The raw outputs, or for Forward-Forward one score per class (both run a large batch in chunks of rows). */
    Tensor outputs(Tensor x) {
        return forwardForward != null ? forwardForward.scores(x)
                : loaded.model().predict(ModelInputs.shapedFor(loaded.model(), x));
    }

    /** The predicted classes (only when {@link #classifies()}). */
    int[] predictClasses(Tensor x) {
        return forwardForward != null ? forwardForward.predictClasses(x)
                : loaded.model().predictClasses(ModelInputs.shapedFor(loaded.model(), x));
    }

    /** Loss and accuracy on a dataset, as training reported them. */
    Evaluation evaluate(Dataset data) {
        return forwardForward != null ? forwardForward.evaluate(data)
                : Evaluator.evaluate(loaded.model(), data.shapedFor(loaded.model().inputShape()));
    }

    /** The data must fit the model: input size, and outputs or classes. */
    void requireFits(Dataset data, String dataName) {
        if (forwardForward == null) {
            LoadedModels.requireFits(file, loaded.model(), data, dataName);
            return;
        }
        if (data.featureShape().size() != inputSize()) {
            throw new IllegalArgumentException(file + " takes inputs of shape " + loaded.model().inputShape() + " but the examples of '"
                    + dataName + "' have shape " + data.featureShape());
        }
        int classes = forwardForward.settings().classes();
        if (!data.isClassification() || data.classes() != classes) {
            throw new IllegalArgumentException(file + " is a Forward-Forward classifier of " + classes + " classes but '" + dataName
                    + "' has " + (data.isClassification() ? data.classes() + " classes" : "no class labels"));
        }
    }

    /** "argmax", "identity" or "forward_forward (goodness)". */
    String ruleName() {
        return forwardForward != null ? ForwardForwardFile.RULE + " (" + forwardForward.rule().id() + ")" : loaded.saved().prediction().type();
    }
}
