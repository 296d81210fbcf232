package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.data.TrainTest;
import dev.propel.model.ComponentSpec;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.spi.Optimizer;
import dev.propel.train.BatchGradients;
import dev.propel.train.EarlyStopping;
import dev.propel.train.EpochMetrics;
import dev.propel.train.Evaluator;
import dev.propel.train.GradientDescent;
import dev.propel.train.LearningRateSchedule;
import dev.propel.train.ProgressBarListener;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import dev.propel.train.TrainingListener;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One backpropagation run as {@code propel train} and {@code propel quickstart} do it: build the model
 * from its spec, train it on the training split, and measure the test split after every epoch.
 *
 * <p>Without a validation split the test split is the validation data (as the issue puts it: test
 * accuracy is measured on the dataset's test split after each epoch), so early stopping watches the
 * test loss. With {@link Settings#validationSplit} a part of the training data is held out for
 * validation instead, and the test split is evaluated separately after each epoch.
 */
final class TrainingJob {

    /** Default optimizer when a spec names none: Adam with learning rate 0.001. */
    static final ComponentSpec DEFAULT_OPTIMIZER = ComponentSpec.of("adam", Map.of("learning_rate", 0.001));

    /**
     * How to train. {@code earlyStopping} is the patience in epochs, or -1 for none; {@code learningRate}
     * overrides the spec's optimizer {@code learning_rate} when not null.
     */
    record Settings(int epochs, GradientDescent mode, int batchSize, long seed, LearningRateSchedule schedule,
                    String scheduleText, float clipNorm, int earlyStopping, double validationSplit, Double learningRate) {
    }

    /** What one epoch measured; {@code test*} come from the test split whatever the validation data is. */
    record Epoch(EpochMetrics metrics, float testLoss, float testAccuracy, double trainSeconds, long samples) {
    }

    /** The result of a run. {@code best} is the epoch with the best validation accuracy (lowest loss for regression). */
    record Outcome(Model model, Optimizer optimizer, TrainingConfig config, TrainingHistory history, List<Epoch> epochs, Epoch best,
                   HeapMeter.Reading heap) {
    }

    /**
     * Training throughput of these epochs: examples per second of forward + backward + update,
     * evaluation excluded (a Forward-Forward example is one positive and one negative pass).
     */
    static double samplesPerSecond(List<Epoch> epochs) {
        double s = epochs.stream().mapToDouble(Epoch::trainSeconds).sum();
        return s > 0 ? epochs.stream().mapToLong(Epoch::samples).sum() / s : 0;
    }

    private TrainingJob() {
    }

    /** The optimizer spec to use: the spec's (default Adam 0.001), with {@code learningRate} overriding its rate. */
    static ComponentSpec optimizerSpec(ModelSpec spec, Double learningRate) {
        return withLearningRate(spec.optimizer() != null ? spec.optimizer() : DEFAULT_OPTIMIZER, learningRate);
    }

    /** {@code base} with its {@code learning_rate} set to {@code learningRate} (unchanged when null). */
    static ComponentSpec withLearningRate(ComponentSpec base, Double learningRate) {
        if (learningRate == null) return base;
        Map<String, Object> attributes = new LinkedHashMap<>(base.attributes());
        attributes.put("learning_rate", learningRate);
        return new ComponentSpec(base.type(), attributes);
    }

    static Outcome run(Propel propel, ModelSpec spec, String specName, TrainTest data, String dataName, Settings s,
                       PrintStream err, boolean interactive) {
        return run(propel, spec, specName, data, dataName, s, err, interactive, null);
    }

    /**
     * A run that starts from a given model and optimizer, from epoch {@code initialEpoch}: a resumed run
     * (the saved model and its restored optimizer) or a new one with --init-weights (epoch 0).
     */
    record Resume(Model model, Optimizer optimizer, int initialEpoch) {
    }

    /** A new run whose model starts from the values in {@code initWeights} (see {@link InitWeights}). */
    static Resume startFrom(Propel propel, ModelSpec spec, String specName, Settings s, java.nio.file.Path initWeights) {
        Model model = build(propel, spec, specName, s.seed());
        InitWeights.apply(initWeights, model);
        ComponentSpec optSpec = optimizerSpec(spec, s.learningRate());
        return new Resume(model, propel.optimizer(optSpec.type(), optSpec.attributes()), 0);
    }

    static Outcome run(Propel propel, ModelSpec spec, String specName, TrainTest data, String dataName, Settings s,
                       PrintStream err, boolean interactive, Resume resume, TrainingListener... extra) {
        return run(propel, spec, specName, data, dataName, s, err, interactive, resume, null, extra);
    }

    /** As above, with the steps' gradients from {@code gradients} (e.g. Spark executors) when it is not null. */
    static Outcome run(Propel propel, ModelSpec spec, String specName, TrainTest data, String dataName, Settings s,
                       PrintStream err, boolean interactive, Resume resume, BatchGradients gradients, TrainingListener... extra) {
        Model model = resume != null ? resume.model() : build(propel, spec, specName, s.seed());
        data = data.shapedFor(model.inputShape());
        checkFits(model, spec, specName, data.train(), dataName);
        ComponentSpec optSpec = optimizerSpec(spec, s.learningRate());
        Optimizer optimizer = resume != null ? resume.optimizer() : propel.optimizer(optSpec.type(), optSpec.attributes());
        boolean split = s.validationSplit() > 0;

        // Printed when training starts, i.e. after the trainer has checked that model and data fit.
        String header = String.format(Locale.ROOT, "%s: %,d parameters, %s %s on %s (%d train / %d test examples), %d epoch%s, %s, seed %d, %s kernels",
                specName, model.parameterCount(), optimizer.typeId(), formatRate(optimizer.learningRate(), s.scheduleText()),
                dataName, data.train().size(), data.test().size(), s.epochs(), s.epochs() == 1 ? "" : "s", describeMode(s), s.seed(),
                propel.kernels().name());
        EpochRecorder recorder = new EpochRecorder(header, split ? data.test() : null,
                (run, test) -> Evaluator.evaluate(run.model(), test), err);
        HeapMeter heap = new HeapMeter();
        try (ProgressBarListener progress = new ProgressBarListener(err, interactive, split ? "val" : "test")) {
            List<TrainingListener> listeners = new java.util.ArrayList<>(List.of(progress, recorder, heap));
            listeners.addAll(List.of(extra));
            TrainingConfig built = trainingConfig(s, resume != null ? resume.initialEpoch() : 0,
                    listeners.toArray(TrainingListener[]::new));
            Dataset validation = split ? null : data.test();
            Trainer trainer = gradients == null ? new Trainer(built) : new Trainer(built, gradients);
            TrainingHistory history = trainer.fit(model, optimizer, data.train(), validation);
            if (!history.stopReason().startsWith("completed")) err.println(history.stopReason());
            return new Outcome(model, optimizer, built, history, recorder.epochs(), recorder.epoch(history.best().epoch()), heap.reading());
        }
    }

    /**
     * The trainer's configuration for these settings (shared by backprop and Forward-Forward runs): the
     * listeners, then early stopping on the validation loss when asked for.
     */
    static TrainingConfig trainingConfig(Settings s, int initialEpoch, TrainingListener... listeners) {
        TrainingConfig.Builder config = TrainingConfig.builder()
                .epochs(s.epochs())
                .batchSize(s.batchSize())
                .mode(s.mode())
                .seed(s.seed())
                .schedule(s.schedule())
                .clipNorm(s.clipNorm())
                .validationSplit(s.validationSplit())
                .initialEpoch(initialEpoch);
        for (TrainingListener l : listeners) config.listener(l);
        if (s.earlyStopping() >= 0) {
            config.listener(new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, s.earlyStopping(), 0f, true));
        }
        return config.build();
    }

    /** Builds the model; errors from layer factories (e.g. shapes) are prefixed with the spec's name. */
    static Model build(Propel propel, ModelSpec spec, String specName, long seed) {
        new SpecChecker(propel, specName).check(spec);
        try {
            return propel.build(spec, seed);
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new SpecException(specName + ": " + e.getMessage(), e);
        }
    }

    /**
     * The spec's input and output sizes must suit the data; the error names the spec key to change.
     * (The trainer checks this too, but cannot point into the spec file.)
     */
    static void checkFits(Model model, ModelSpec spec, String specName, Dataset train, String dataName) {
        int perExample = train.featureShape().size();
        if (model.inputShape().size() != perExample) {
            throw new SpecException(specName, "input", "the model takes " + spec.input() + " (" + model.inputShape().size()
                    + " values per example) but the examples of '" + dataName + "' have shape " + train.featureShape()
                    + " (" + perExample + " values); set \"input\": " + train.featureShape());
        }
        int targets = train.targets().rowSize();
        if (model.outputShape().size() != targets) {
            String what = train.isClassification() ? train.classes() + " classes" : targets + " target values per example";
            throw new SpecException(specName, "layers[" + (spec.layers().size() - 1) + "]", "the last layer produces "
                    + model.outputShape() + " but '" + dataName + "' has " + what + "; make the last layer produce " + targets
                    + " values, e.g. {\"type\": \"dense\", \"units\": " + targets + "}");
        }
    }

    /**
     * "backprop: test accuracy 0.8612 after 3 epochs (41.3 s)", with the best epoch when it is not the last; a resumed
     * run says "after 2 more epochs (12.0 s, 3 in total)".
     */
    static String summaryLine(Outcome o) {
        int ran = o.epochs().size();
        String acc = Float.isNaN(o.best().testAccuracy())
                ? String.format(Locale.ROOT, "test loss %.4f", o.best().testLoss())
                : String.format(Locale.ROOT, "test accuracy %.4f", o.best().testAccuracy());
        String best = o.best().metrics().epoch() == o.epochs().getLast().metrics().epoch()
                ? "" : ", best at epoch " + o.best().metrics().epoch();
        // A resumed run counts the epochs it ran and the model's total, not just the former.
        int total = o.epochs().getLast().metrics().epoch();
        String more = total > ran ? " more" : "";
        String inTotal = total > ran ? ", " + total + " in total" : "";
        return String.format(Locale.ROOT, "backprop: %s after %d%s epoch%s (%.1f s%s%s)", acc, ran, more, ran == 1 ? "" : "s",
                o.history().seconds(), inTotal, best);
    }

    private static String describeMode(Settings s) {
        return switch (s.mode()) {
            case MINI_BATCH -> "mini-batches of " + s.batchSize();
            case BATCH -> "full-batch gradient descent";
            case STOCHASTIC -> "stochastic gradient descent (batches of 1)";
        };
    }

    private static String formatRate(float rate, String schedule) {
        String r = "lr " + PlainNumbers.plain(rate);
        return schedule.equals("constant") ? r : r + " (" + schedule + ")";
    }
}
