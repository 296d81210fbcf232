package dev.propel.cli;

import dev.propel.data.Dataset;
import dev.propel.model.Model;
import dev.propel.tensor.Tensor;
import dev.propel.train.EpochMetrics;
import dev.propel.train.ff.ForwardForwardModel;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One side of {@code propel compare}: a trained classifier, how it predicts, its weights and what its
 * file records about its training.
 *
 * @param name           how the reports call it (the file name)
 * @param algorithm      {@code backprop} or {@code forward-forward}
 * @param rule           how it predicts, in words
 * @param scorer         one score per class for a batch of inputs, and the loss of those scores
 * @param parameterCount learnable scalars
 * @param weights        every parameter tensor by name, in model order
 * @param training       the provenance figures, or null when the file has none
 * @param summary        the architecture and training settings its file records, or null when there is no file
 */
record ComparedModel(String name, String algorithm, String rule, Scorer scorer, long parameterCount,
                     Map<String, Tensor> weights, Training training, ModelSummary summary) {

    /**
     * Scores a batch ({@code scores}: one score per class per row) and the loss of those scores on a
     * dataset, the model's own (backprop: its loss function; FF: cross-entropy of the scores' softmax).
     */
    record Scorer(Function<Tensor, Tensor> scores, BiFunction<Tensor, Dataset, Float> loss) {
    }

    /**
     * What the file records about training: epochs run, wall time, kernel threads, the largest heap
     * still in use after a GC during training (-1 when not recorded) and every epoch's metrics.
     */
    /** The training record of a file; memory figures are −1 when the file does not record them. */
    record Training(int epochs, double wallSeconds, int threads, long peakLiveHeapBytes, long activationBytes,
                    List<EpochMetrics> metrics) {
        Training {
            metrics = List.copyOf(metrics);
        }

        /** "290.4 MiB", or "not recorded". */
        static String mebibytes(Training t, ToLongFunction<Training> figure) {
            return t == null || figure.applyAsLong(t) < 0 ? "not recorded" : HeapMeter.mebibytes(figure.applyAsLong(t));
        }
    }

    static ComparedModel backprop(String name, Model model, Training training, ModelSummary summary) {
        Scorer scorer = new Scorer(x -> model.predict(ModelInputs.shapedFor(model, x)),
                (scores, data) -> model.loss().compute(scores, data.targets(), null, model.kernels()));
        return new ComparedModel(name, "backprop", "argmax of the outputs", scorer, model.parameterCount(), model.parameters(),
                training, summary);
    }

    static ComparedModel forwardForward(String name, ForwardForwardModel model, Training training, ModelSummary summary) {
        Scorer scorer = new Scorer(model::scores, (scores, data) -> model.loss(scores, data.labels()));
        return new ComparedModel(name, "forward-forward", describeRule(model), scorer, model.parameterCount(), model.parameters(),
                training, summary);
    }

    /** "summed goodness (sum of squares) of layers 1..2" or "softmax head on layers 1..2" (0-based, as {@code --first-counted-layer}). */
    static String describeRule(ForwardForwardModel model) {
        int first = model.settings().firstCountedBlock();
        int last = model.blocks().size() - 1;
        String layers = first == last ? "layer " + first : "layers " + first + ".." + last;
        return switch (model.rule()) {
            case GOODNESS -> "summed goodness (" + model.settings().goodness().id() + " of squares) of " + layers;
            case SOFTMAX -> "softmax head on " + layers;
        };
    }
}
