package dev.propel.cli;

import dev.propel.train.ff.Goodness;
import dev.propel.train.ff.LayerSchedule;
import dev.propel.train.ff.NegativeLabels;
import dev.propel.train.ff.PredictionRule;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

/** The options of {@code train --algorithm forward-forward}, checked before anything runs. See docs/forward-forward.md. */
public final class ForwardForwardOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--goodness", paramLabel = "sum|mean", defaultValue = "sum",
            description = "Forward-Forward: goodness of a layer = sum (Hinton) or mean of its squared activities (default: ${DEFAULT-VALUE}).")
    String goodness;

    @Option(names = "--threshold", paramLabel = "θ", defaultValue = "1",
            description = "Forward-Forward: goodness threshold per unit; the layer compares its goodness with θ·width (sum) or θ (mean) (default: ${DEFAULT-VALUE}).")
    float threshold;

    @Option(names = "--negatives", paramLabel = "random|hard", defaultValue = "random",
            description = "Forward-Forward: wrong label of a negative example, uniform (random) or sampled from the model's own mistakes (hard) (default: ${DEFAULT-VALUE}).")
    String negatives;

    @Option(names = "--layer-schedule", paramLabel = "simultaneous|greedy", defaultValue = "simultaneous",
            description = "Forward-Forward: train every layer on every batch (simultaneous, as in the paper) or one layer after the other, each for --epochs epochs (greedy) (default: ${DEFAULT-VALUE}).")
    String layerSchedule;

    @Option(names = "--prediction-rule", paramLabel = "goodness|softmax", defaultValue = "goodness",
            description = "Forward-Forward: predict the label with the largest summed goodness (one pass per class) or with a softmax head on a neutral-label pass (default: ${DEFAULT-VALUE}).")
    String rule;

    @Option(names = "--first-counted-layer", paramLabel = "N",
            description = "Forward-Forward: first hidden layer (0-based) whose goodness or activities prediction uses (default: 1, i.e. skip the first hidden layer as in the paper, or 0 with a single hidden layer).")
    Integer firstCountedLayer;

    @Option(names = "--layer-lr", paramLabel = "RATE[,RATE...]", split = ",",
            description = "Forward-Forward: base learning rate of each hidden layer (one value for all, or one per layer); default: the optimizer's.")
    List<Double> layerLearningRates;

    @Option(names = "--head-lr", paramLabel = "RATE",
            description = "Forward-Forward: learning rate of the softmax head (softmax rule or hard negatives); default: the optimizer's.")
    Double headLearningRate;

    @Option(names = "--peer-normalization", paramLabel = "λ", defaultValue = "0",
            description = "Forward-Forward: strength of Hinton's peer normalisation of the units' mean activities (default: ${DEFAULT-VALUE} = off; his code uses 0.03 with SGD).")
    float peerNormalization;

    @Option(names = "--label-strength", paramLabel = "VALUE",
            description = "Forward-Forward: value of the embedded label pixel (default: the largest feature value of the training data, 1 for images in [0, 1]).")
    Float labelStrength;

    /** The checked options, or a usage error naming the bad one. */
    Settings settings() {
        Goodness g = parse("--goodness", () -> Goodness.parse(goodness));
        NegativeLabels n = parse("--negatives", () -> NegativeLabels.parse(negatives));
        LayerSchedule s = parse("--layer-schedule", () -> LayerSchedule.parse(layerSchedule));
        PredictionRule r = parse("--prediction-rule", () -> PredictionRule.parse(rule));
        if (!(threshold > 0) || !Float.isFinite(threshold)) usage("--threshold must be a number > 0 (per unit), got " + threshold);
        if (firstCountedLayer != null && firstCountedLayer < 0) usage("--first-counted-layer must be >= 0, got " + firstCountedLayer);
        List<Float> rates = new ArrayList<>();
        if (layerLearningRates != null) {
            for (Double d : layerLearningRates) {
                if (d == null || !(d > 0) || !Double.isFinite(d)) usage("--layer-lr rates must be numbers > 0, got " + layerLearningRates);
                rates.add(d.floatValue());
            }
        }
        if (headLearningRate != null && !(headLearningRate > 0 && Double.isFinite(headLearningRate))) {
            usage("--head-lr must be a number > 0, got " + headLearningRate);
        }
        if (!(peerNormalization >= 0) || !Float.isFinite(peerNormalization)) {
            usage("--peer-normalization must be a number >= 0 (0 = off), got " + peerNormalization);
        }
        if (labelStrength != null && !(labelStrength > 0 && Float.isFinite(labelStrength))) {
            usage("--label-strength must be a number > 0, got " + labelStrength);
        }
        return new Settings(g, threshold, n, s, r, firstCountedLayer == null ? -1 : firstCountedLayer, List.copyOf(rates),
                headLearningRate == null ? Float.NaN : headLearningRate.floatValue(), peerNormalization,
                labelStrength == null ? Float.NaN : labelStrength);
    }

    /** Whether any Forward-Forward option was given on the command line (an error with backprop). */
    List<String> given() {
        List<String> names = new ArrayList<>();
        for (var option : mixee.options()) {
            if (option.longestName().startsWith("--") && isForwardForward(option.longestName())
                    && mixee.commandLine().getParseResult().hasMatchedOption(option)) {
                names.add(option.longestName());
            }
        }
        return names;
    }

    private static boolean isForwardForward(String name) {
        return List.of("--goodness", "--threshold", "--negatives", "--layer-schedule", "--prediction-rule", "--first-counted-layer",
                "--layer-lr", "--head-lr", "--peer-normalization", "--label-strength").contains(name);
    }

    private <T> T parse(String option, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), option + ": " + e.getMessage());
        }
    }

    private void usage(String message) {
        throw new ParameterException(mixee.commandLine(), message);
    }

    /** The Forward-Forward settings; {@code firstCountedLayer} -1 and NaN rates/strength mean "default". */
    record Settings(Goodness goodness, float threshold, NegativeLabels negatives, LayerSchedule layerSchedule,
                    PredictionRule rule, int firstCountedLayer, List<Float> layerLearningRates, float headLearningRate,
                    float peerNormalization, float labelStrength) {
    }
}
