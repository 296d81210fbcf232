package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.train.GradientDescent;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The training options shared by {@code train} and {@code quickstart}, checked before anything runs. */
public final class TrainOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128",
            description = "Examples per update in mini-batch mode (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed for the initial weights, the shuffling and dropout; the same seed gives bitwise the same model, "
                    + "whatever --threads (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "mini-batch", converter = ModeConverter.class,
            description = "Gradient descent: batch (one update per epoch), mini-batch (default) or stochastic (one example per update).")
    GradientDescent mode;

    @Option(names = "--lr-schedule", paramLabel = "SCHEDULE", defaultValue = "constant",
            description = "Learning-rate schedule: a type id (constant (default), step, cosine, linear, linear_half, warmup, or a plugin's) with --lr-schedule-arg, "
                    + "a short form (step:EVERY:GAMMA e.g. step:3:0.5, cosine[:MIN_RATE], linear-half: Hinton's constant, then linear decay over the second half), "
                    + "or a JSON object, e.g. '{\"type\": \"warmup\", \"warmup_steps\": 500, \"then\": {\"type\": \"cosine\"}}'. See docs/cli.md.")
    String schedule;

    @Option(names = "--lr-schedule-arg", paramLabel = "KEY=VALUE",
            description = "An attribute of the --lr-schedule type, e.g. t_max=20 or gamma=0.5; repeat for several.")
    List<String> scheduleArgs = new ArrayList<>();

    @Option(names = "--lr-schedule-per", paramLabel = "epoch|batch", defaultValue = "epoch",
            description = "What one step of the schedule is: an epoch (default) or a batch.")
    String schedulePer;

    @Option(names = {"--learning-rate", "--lr"}, paramLabel = "RATE",
            description = "Overrides the optimizer's learning_rate from the spec.")
    Double learningRate;

    @Option(names = "--clip-norm", paramLabel = "MAX", defaultValue = "0",
            description = "Rescale gradients whose global L2 norm exceeds MAX (default: 0 = off).")
    float clipNorm;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE",
            description = "Stop when the validation loss (the test split's, unless --validation-split) has not improved for PATIENCE epochs; the best weights are kept.")
    Integer earlyStopping;

    @Option(names = "--validation-split", paramLabel = "FRACTION",
            description = "Hold out this fraction (0..1) of the training data as validation data; the test split is then only measured, never used to decide.")
    Double validationSplit;

    @Option(names = "--json", description = "Print one JSON object with every epoch's figures to standard output; progress goes to standard error.")
    boolean json;

    /** The settings for {@code epochs} epochs, schedule types found in {@code propel}, or a usage error naming the bad option. */
    TrainingJob.Settings settings(int epochs, Propel propel) {
        positive("--epochs", epochs);
        positive("--batch-size", batchSize);
        if (!(clipNorm >= 0) || Float.isInfinite(clipNorm)) usage("--clip-norm must be a number >= 0 (0 = off), got " + clipNorm);
        if (earlyStopping != null && earlyStopping < 0) usage("--early-stopping patience must be >= 0 epochs, got " + earlyStopping);
        if (validationSplit != null && !(validationSplit > 0 && validationSplit < 1)) {
            usage("--validation-split must be a fraction between 0 and 1 (exclusive), e.g. 0.1, got " + validationSplit);
        }
        if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
            usage("--learning-rate must be a number > 0, got " + learningRate);
        }
        ScheduleOption.Resolved parsed;
        try {
            parsed = ScheduleOption.resolve(schedule, scheduleArgs, schedulePer, propel);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new ParameterException(mixee.commandLine(), message.startsWith("--lr-schedule") ? message : "--lr-schedule: " + message);
        }
        return new TrainingJob.Settings(epochs, mode, batchSize, seed, parsed.schedule(), parsed.text(), clipNorm,
                earlyStopping == null ? -1 : earlyStopping, validationSplit == null ? 0 : validationSplit, learningRate);
    }

    private void positive(String option, int value) {
        if (value < 1) usage(option + " must be at least 1, got " + value);
    }

    private void usage(String message) {
        throw new ParameterException(mixee.commandLine(), message);
    }

    /** "batch", "mini-batch" or "stochastic" (the names used in docs/cli.md). */
    static final class ModeConverter implements ITypeConverter<GradientDescent> {
        @Override
        public GradientDescent convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "batch" -> GradientDescent.BATCH;
                case "mini-batch" -> GradientDescent.MINI_BATCH;
                case "stochastic" -> GradientDescent.STOCHASTIC;
                default -> throw new TypeConversionException("expected batch, mini-batch or stochastic but got '" + value + "'");
            };
        }
    }
}
