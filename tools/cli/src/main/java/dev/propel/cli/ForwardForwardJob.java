package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.data.TrainTest;
import dev.propel.model.ComponentSpec;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.spi.Optimizer;
import dev.propel.train.ProgressBarListener;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.train.ff.FfStack;
import dev.propel.train.ff.ForwardForwardFile;
import dev.propel.train.ff.ForwardForwardConfig;
import dev.propel.train.ff.ForwardForwardGradients;
import dev.propel.train.ff.ForwardForwardModel;
import dev.propel.train.ff.ForwardForwardResult;
import dev.propel.train.ff.ForwardForwardRun;
import dev.propel.train.ff.ForwardForwardTrainer;
import dev.propel.train.ff.UnsupportedLayerException;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One Forward-Forward run as {@code propel train --algorithm forward-forward} does it: build the
 * stack of hidden layers from the spec, train it layer-locally on the training split, and measure the
 * test split after every epoch with the model's prediction rule — with the same progress bar and
 * per-epoch figures as a backprop run ({@link TrainingJob}).
 */
final class ForwardForwardJob {

    /** The result of a run: the trained network, its training figures, and the memory it needed. */
    record Outcome(ForwardForwardModel model, ComponentSpec optimizer, Optimizer firstLayerOptimizer, TrainingConfig config,
                   TrainingHistory history, List<TrainingJob.Epoch> epochs, TrainingJob.Epoch best,
                   HeapMeter.Reading heap) {
    }

    private ForwardForwardJob() {
    }

    static Outcome run(Propel propel, ModelSpec spec, String specName, TrainTest data, String dataName, TrainingJob.Settings s,
                       ForwardForwardOptions.Settings f, PrintStream err, boolean interactive) {
        return run(propel, spec, specName, data, dataName, s, f, err, interactive, null);
    }

    /** As above, with the steps' layer-local gradients from {@code gradients} (e.g. Spark executors) when it is not null. */
    static Outcome run(Propel propel, ModelSpec spec, String specName, TrainTest data, String dataName, TrainingJob.Settings s,
                       ForwardForwardOptions.Settings f, PrintStream err, boolean interactive, ForwardForwardGradients gradients) {
        Model stack = TrainingJob.build(propel, spec, specName, s.seed());
        FfStack blocks;
        try {
            blocks = FfStack.of(stack);
        } catch (UnsupportedLayerException e) {
            throw new SpecException(specName, "layers[" + e.layerIndex() + "]", e.getMessage());
        }
        ComponentSpec optSpec = TrainingJob.optimizerSpec(spec, s.learningRate());
        // The first call's optimizer is kept to record the optimizer's type and attributes in the model file.
        Optimizer[] first = new Optimizer[1];
        Supplier<Optimizer> optimizers = () -> {
            Optimizer o = propel.optimizer(optSpec.type(), optSpec.attributes());
            if (first[0] == null) first[0] = o;
            return o;
        };
        Optimizer probe = propel.optimizer(optSpec.type(), optSpec.attributes());
        boolean split = s.validationSplit() > 0;

        // The parameters are counted when training starts, as inspect counts them: with the softmax head the trainer adds.
        String layers = String.format(Locale.ROOT, " parameters in %d Forward-Forward layers (%s)", blocks.size(), shape(blocks));
        String settings = String.format(Locale.ROOT,
                ", %s lr %s per layer%s, %s goodness, threshold %s per unit, "
                        + "%s negatives, %s rule, %s schedule, on %s (%d train / %d test examples), %d epoch%s%s, mini-batches of %d, seed %d, %s kernels",
                probe.typeId(), PlainNumbers.plain(probe.learningRate()),
                s.scheduleText().equals("constant") ? "" : " (" + s.scheduleText() + ")", f.goodness().id(), PlainNumbers.plain(f.threshold()),
                f.negatives().id(), f.rule().id(), f.layerSchedule().id(), dataName, data.train().size(), data.test().size(),
                s.epochs(), s.epochs() == 1 ? "" : "s",
                f.layerSchedule() == dev.propel.train.ff.LayerSchedule.GREEDY ? " per layer" : "", s.batchSize(), s.seed(),
                propel.kernels().name());
        EpochRecorder recorder = new EpochRecorder(run -> {
            ForwardForwardModel model = ((ForwardForwardRun) run).forwardForwardModel();
            return specName + ": " + String.format(Locale.ROOT, "%,d", model.parameterCount()) + layers
                    + (model.headParameters().isEmpty() ? "" : " and a softmax head") + settings;
        }, split ? data.test() : null,
                (run, test) -> ((ForwardForwardRun) run).forwardForwardModel().evaluate(test), err);
        HeapMeter heap = new HeapMeter();
        try (ProgressBarListener progress = new ProgressBarListener(err, interactive, split ? "val" : "test")) {
            TrainingConfig built = TrainingJob.trainingConfig(s, 0, progress, recorder, heap);
            ForwardForwardConfig ff = config(built, optimizers, f);
            Dataset validation = split ? null : data.test();
            ForwardForwardResult result = new ForwardForwardTrainer(ff, gradients).fit(stack, data.train(), validation);
            TrainingHistory history = result.history();
            if (!history.stopReason().startsWith("completed")) err.println(history.stopReason());
            return new Outcome(result.model(), optSpec, first[0], built, history, recorder.epochs(), recorder.epoch(history.best().epoch()),
                    heap.reading());
        }
    }

    /** The trainer's configuration: the shared training options plus the checked Forward-Forward ones. */
    static ForwardForwardConfig config(TrainingConfig training, Supplier<Optimizer> optimizers, ForwardForwardOptions.Settings f) {
        return ForwardForwardConfig.builder(training, optimizers)
                .goodness(f.goodness())
                .threshold(f.threshold())
                .negatives(f.negatives())
                .layerSchedule(f.layerSchedule())
                .rule(f.rule())
                .firstCountedBlock(f.firstCountedLayer())
                .layerLearningRates(f.layerLearningRates())
                .headLearningRate(f.headLearningRate())
                .peerNormalization(f.peerNormalization())
                .labelStrength(f.labelStrength())
                .build();
    }

    /**
     * The trained network as a model file holds it: stack, prediction rule (with the head), and the
     * record of the run — the Forward-Forward settings and the memory figures among the provenance settings.
     */
    static SavedModel saved(Propel propel, Outcome o, TrainTest data, TrainingJob.Settings s, ForwardForwardOptions.Settings f) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("lr_schedule", s.scheduleText());
        settings.put("negatives", f.negatives().id());
        settings.put("layer_schedule", f.layerSchedule().id());
        settings.put("peer_normalization", f.peerNormalization());
        if (!f.layerLearningRates().isEmpty()) settings.put("layer_learning_rates", f.layerLearningRates());
        if (!Float.isNaN(f.headLearningRate())) settings.put("head_learning_rate", f.headLearningRate());
        settings.putAll(o.heap().asSettings());
        Provenance provenance = Provenance.of(Provenance.FORWARD_FORWARD, o.config(), o.history(), data.train(),
                propel.kernels().threads(), settings);
        return ForwardForwardFile.saved(propel, o.model(), o.firstLayerOptimizer(), provenance);
    }

    /** "784-1000-1000-1000". */
    static String shape(FfStack blocks) {
        StringBuilder sb = new StringBuilder().append(blocks.inputSize());
        for (FfStack.Block b : blocks.blocks()) sb.append('-').append(b.width());
        return sb.toString();
    }

    /** "forward-forward: test accuracy 0.8712 after 30 epochs (812.4 s), peak live heap 412.3 MiB". */
    static String summaryLine(Outcome o) {
        int ran = o.epochs().size();
        String best = o.best().metrics().epoch() == o.epochs().getLast().metrics().epoch()
                ? "" : ", best at epoch " + o.best().metrics().epoch();
        return String.format(Locale.ROOT, "forward-forward (%s rule): test accuracy %.4f after %d epoch%s (%.1f s%s), peak live heap %s",
                o.model().rule().id(), o.best().testAccuracy(), ran, ran == 1 ? "" : "s", o.history().seconds(), best,
                HeapMeter.mebibytes(o.heap().peakLiveBytes()));
    }
}
