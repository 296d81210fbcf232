package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.data.TrainTest;
import dev.propel.model.DatasetInfo;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.model.PredictionRule;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.train.LearningRateSchedule;
import dev.propel.train.TrainingDivergedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code propel train}: trains the model a JSON spec describes (or continues a saved one), with
 * backpropagation or Forward-Forward.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the model described by a JSON spec with backpropagation (or Forward-Forward), measuring the test split after every epoch.",
                "Example: propel train --spec examples/mlp.json --data fashion-mnist --epochs 10 --batch-size 128 --seed 1 --out model.pb",
                "Resume: propel train --resume model.pb --data fashion-mnist --epochs 15 --out model.pb",
                "Fine-tune an import: propel train --resume pytorch.onnx --data fashion-mnist --epochs 1 --out tuned.pb",
                "Forward-Forward: propel train --algorithm forward-forward --spec examples/ff.json --epochs 30 --batch-size 100 --lr-schedule linear-half --out ff.pb"})
final class TrainCommand implements java.util.concurrent.Callable<Integer> {
    /** Options a resumed run takes from the saved run, so it continues exactly. */
    private static final List<String> FIXED_WHEN_RESUMING = List.of("--seed", "--batch-size", "--mode", "--lr-schedule",
            "--lr-schedule-arg", "--lr-schedule-per", "--learning-rate", "--clip-norm", "--validation-split", "--bptt-steps");

    @ParentCommand
    private PropelCommand root;

    @Spec
    private CommandSpec command;

    @Option(names = "--spec", paramLabel = "FILE",
            description = "The model spec (JSON), e.g. examples/mlp.json. Not with --resume.")
    private Path spec;

    @Option(names = "--init-weights", paramLabel = "FILE",
            description = "Initial parameter values: a JSON object from parameter name (as 'propel inspect' shows it) to nested lists "
                    + "in the layer's layout, e.g. {\"hidden.weight\": [[0.1, 0.2], [0.3, 0.4]]}; parameters it leaves out keep "
                    + "their initialiser's values. With --spec.")
    private Path initWeights;

    @Option(names = "--resume", paramLabel = "MODEL",
            description = "Continue the training of a model saved with --out (.pb or .json), with its optimizer state, seed and settings, "
                    + "up to --epochs epochs in total; bitwise the same as an uninterrupted run. A model without a training record "
                    + "(e.g. imported from .onnx) is fine-tuned instead: a new run of --epochs from its weights, see --optimizer and --loss.")
    private Path resume;

    @Option(names = "--optimizer", paramLabel = "TYPE",
            description = "Fine-tuning a model without a training record (--resume): the optimizer type (default: adam, learning rate "
                    + "0.001 unless --learning-rate).")
    private String fineTuneOptimizer;

    @Option(names = "--loss", paramLabel = "TYPE",
            description = "Fine-tuning a model without a training record (--resume): the loss type (default: the file's; cross_entropy "
                    + "for an ONNX import).")
    private String fineTuneLoss;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Save the trained model, its optimizer state and how it was trained to FILE (.pb, or .json to read it).")
    private Path out;

    @Option(names = "--keep-last-good",
            description = "If the run diverges (NaN, or a loss more than 1000 times the best so far), save the weights of the last "
                    + "completed epoch to OUT-last-good.EXT next to --out (which is never replaced by a diverged run). Costs one copy "
                    + "of the weights per epoch.")
    private boolean keepLastGood;

    @Option(names = "--data", paramLabel = "SOURCE", defaultValue = "fashion-mnist",
            description = "fashion-mnist (the installed dataset), sample (the bundled sample), a directory of IDX files or a CSV file (default: ${DEFAULT-VALUE}).")
    private String data;

    @Mixin
    private CsvOptions csv = new CsvOptions();

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10",
            description = "Epochs to train; with --resume, the total including those already done (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--algorithm", paramLabel = "ALGORITHM", defaultValue = "backprop",
            description = "backprop (default) or forward-forward (Hinton's layer-local training; the spec then holds only hidden layers, see docs/forward-forward.md).")
    private String algorithm;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Train data-parallel on Apache Spark: local[N] or a cluster URL (spark://, yarn, k8s://). --data may then also be "
                    + "a directory with train and test Parquet or CSV data on any Hadoop file system. Needs the Spark module: see docs/spark.md.")
    private String spark;

    @Option(names = "--bptt-steps", paramLabel = "K",
            description = "Truncated backpropagation through time: in every rnn, lstm and gru layer the gradient flows back at most "
                    + "K steps (chunks of K from the first step; the state is still carried over the whole sequence). "
                    + "Sets the layers' bptt_steps attribute. Default: the whole sequence.")
    private Integer bpttSteps;

    @Mixin
    private TrainOptions options;

    @Mixin
    private ForwardForwardOptions ffOptions;

    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
        if ((spec == null) == (resume == null)) {
            throw new ParameterException(command.commandLine(), spec == null
                    ? "give the model to train: --spec FILE (a JSON spec) or --resume MODEL (a saved model)"
                    : "--spec and --resume exclude each other: a resumed run continues the saved model's own graph");
        }
        if ((fineTuneOptimizer != null || fineTuneLoss != null) && resume == null) {
            throw new ParameterException(command.commandLine(), "--optimizer and --loss apply to fine-tuning a model without a training"
                    + " record (--resume MODEL); with --spec the spec's \"optimizer\" and \"loss\" decide");
        }
        boolean forwardForward = switch (algorithm.trim().toLowerCase(Locale.ROOT)) {
            case "backprop" -> false;
            case "forward-forward", "ff" -> true;
            default -> throw new ParameterException(command.commandLine(), "--algorithm: expected backprop or forward-forward but got '"
                    + algorithm + "'");
        };
        if (initWeights != null && (resume != null || forwardForward)) {
            throw new ParameterException(command.commandLine(), "--init-weights applies to a new backprop run from --spec"
                    + (resume != null ? "; a resumed run continues with the saved model's weights" : ", not to --algorithm forward-forward"));
        }
        if (!forwardForward && !ffOptions.given().isEmpty()) {
            throw new ParameterException(command.commandLine(), String.join(", ", ffOptions.given())
                    + " only applies to --algorithm forward-forward");
        }
        if (keepLastGood && (out == null || forwardForward)) {
            throw new ParameterException(command.commandLine(), "--keep-last-good saves next to --out: give --out FILE"
                    + (forwardForward ? ", and train with backprop (Forward-Forward runs do not support it)" : ""));
        }
        // --out may be the --resume model (a run continued in place: the file is read whole before the atomic save);
        // never the spec or the data.
        if (out != null) ModelIo.checkWritable("--out", out, OutputFiles.inputs(data, spec).toArray(Path[]::new));
        if (keepLastGood) ModelIo.checkWritable("--keep-last-good", LastGoodEpoch.fileFor(out), OutputFiles.inputs(data, spec, resume)
                .toArray(Path[]::new));
        if (bpttSteps != null && forwardForward) {
            throw new ParameterException(command.commandLine(), "--bptt-steps applies to backprop training of recurrent layers, "
                    + "not to --algorithm forward-forward");
        }
        SparkSupport sparkSupport = spark == null ? null : SparkSupport.find();
        if (forwardForward) return trainForwardForward(ffOptions.settings(), sparkSupport);
        try (Propel propel = root.propel();
             SparkSupport.Connection cluster = sparkSupport == null ? null : sparkSupport.connect(spark, root.err)) {
            // A model without a training record is fine-tuned (FineTuning); one with a record resumes with its own settings.
            LoadedModel file = resume == null ? null : ModelIo.load(propel, resume);
            boolean fineTune = file != null && file.saved().provenance() == null;
            if (file != null && !fineTune) {
                refuseOptionsFixedWhenResuming();
                if (fineTuneOptimizer != null || fineTuneLoss != null) {
                    throw new ParameterException(command.commandLine(), "--optimizer and --loss cannot be changed when resuming: "
                            + resume + " holds a training record, and the run continues with its optimizer and loss");
                }
            }
            TrainingJob.Settings settings = options.settings(epochs, propel);
            LoadedModel loaded = null;
            ModelSpec modelSpec;
            String specName;
            TrainingJob.Resume from = null;
            if (resume != null) {
                specName = resume.toString();
                if (fineTune) {
                    FineTuning.Start start = FineTuning.start(propel, file, fineTuneOptimizer, fineTuneLoss, settings.learningRate(),
                            settings.seed(), root.err);
                    modelSpec = start.spec();
                    from = start.from();
                } else {
                    loaded = file;
                    settings = resumedSettings(propel, loaded, settings);
                    ResumeCheck.check(loaded, loaded.saved().optimizerState().tensors(), propel.kernels());
                    modelSpec = loaded.saved().spec();
                }
            } else {
                modelSpec = ModelSpecJson.read(spec);
                specName = spec.toString();
                if (bpttSteps != null) {
                    try {
                        modelSpec = BpttOption.apply(modelSpec, specName, bpttSteps);
                    } catch (IllegalArgumentException e) {
                        throw new ParameterException(command.commandLine(), e.getMessage());
                    }
                }
                new SpecChecker(propel, specName).check(modelSpec);
            }
            TrainTest trainTest = cluster != null && cluster.reads(data) ? cluster.load(data) : DataLoader.load(data, csv);
            if (loaded != null) {
                warnIfOtherData(loaded.saved().provenance(), trainTest);
                from = new TrainingJob.Resume(loaded.model(), loaded.optimizer(propel), loaded.saved().provenance().epochs());
            } else if (initWeights != null) {
                from = TrainingJob.startFrom(propel, modelSpec, specName, settings, initWeights);
            }
            LastGoodEpoch lastGood = new LastGoodEpoch();
            TrainingJob.Outcome outcome;
            try {
                outcome = TrainingJob.run(propel, modelSpec, specName, trainTest, data, settings, root.err, root.stderrIsTerminal, from,
                        cluster == null ? null : cluster.gradients(), keepLastGood ? new LastGoodEpoch[]{lastGood} : new LastGoodEpoch[0]);
            } catch (TrainingDivergedException e) {
                throw diverged(e, propel, lastGood, trainTest);
            }
            if (cluster != null && !cluster.summary().isEmpty()) root.err.println(cluster.summary());
            if (out != null) {
                ModelIo.save(propel, saved(propel, outcome, trainTest, settings, loaded), out);
                root.err.println("saved the model to " + out + "; see it with: ./propel inspect " + out);
            }
            if (options.json) {
                root.out.println(Json.write(TrainReport.toJson("train", specName, data, trainTest, settings, propel, outcome)));
            } else {
                root.out.println(TrainingJob.summaryLine(outcome));
            }
        }
        return 0;
    }

    /**
     * The divergence error, saying that --out was left alone and, with --keep-last-good, where the last
     * good epoch's weights went (no optimizer state or training record: they are not a run to resume).
     */
    private RuntimeException diverged(TrainingDivergedException e, Propel propel, LastGoodEpoch lastGood, TrainTest data) {
        String message = e.getMessage();
        if (out != null) message += "; " + out + (java.nio.file.Files.exists(out) ? " was left as it was" : " was not written");
        if (keepLastGood) {
            Model model = lastGood.restored();
            if (model == null) {
                message += "; no epoch completed before the divergence, so there is no last good epoch to keep";
            } else {
                Path file = LastGoodEpoch.fileFor(out);
                ModelIo.save(propel, SavedModel.builder(propel, model).prediction(PredictionRule.forDataset(data.train())).build(), file);
                message += "; the weights of epoch " + lastGood.epoch() + ", the last good one, were saved to " + file
                        + " (weights only: it can be evaluated, used and converted, not resumed)";
            }
        } else if (out != null) {
            message += "; add --keep-last-good to save the last good epoch";
        }
        return new IllegalStateException(message, e);
    }

    /** {@code --algorithm forward-forward}; on the executors of {@code sparkSupport} when it is not null ({@code --spark}). */
    private int trainForwardForward(ForwardForwardOptions.Settings ff, SparkSupport sparkSupport) {
        if (resume != null) {
            throw new ParameterException(command.commandLine(), "--resume: Forward-Forward runs cannot be resumed (each layer has its own "
                    + "optimizer, which a model file does not keep); train again with --spec and more --epochs");
        }
        ModelSpec modelSpec = ModelSpecJson.read(spec);
        try (Propel propel = root.propel();
             SparkSupport.Connection cluster = sparkSupport == null ? null : sparkSupport.connect(spark, root.err)) {
            TrainingJob.Settings settings = options.settings(epochs, propel);
            new SpecChecker(propel, spec.toString()).check(modelSpec);
            TrainTest trainTest = cluster != null && cluster.reads(data) ? cluster.load(data) : DataLoader.load(data, csv);
            ForwardForwardJob.Outcome outcome = ForwardForwardJob.run(propel, modelSpec, spec.toString(), trainTest, data, settings, ff,
                    root.err, root.stderrIsTerminal, cluster == null ? null : cluster.forwardForwardGradients());
            if (cluster != null && !cluster.summary().isEmpty()) root.err.println(cluster.summary());
            if (out != null) {
                ModelIo.save(propel, ForwardForwardJob.saved(propel, outcome, trainTest, settings, ff), out);
                root.err.println("saved the model to " + out + "; see it with: ./propel inspect " + out);
            }
            if (options.json) {
                root.out.println(Json.write(ForwardForwardReport.toJson("train", spec.toString(), data, trainTest, settings, ff, propel,
                        outcome)));
            } else {
                root.out.println(ForwardForwardJob.summaryLine(outcome));
            }
        }
        return 0;
    }

    /** Options that would change a resumed run are refused. */
    private void refuseOptionsFixedWhenResuming() {
        for (String option : FIXED_WHEN_RESUMING) {
            if (command.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new ParameterException(command.commandLine(), option + " cannot be changed when resuming: the run continues with "
                        + "the settings saved in " + resume + " (see './propel inspect " + resume + "')");
            }
        }
    }

    /** The saved run's settings, with --epochs as the new total. */
    private TrainingJob.Settings resumedSettings(Propel propel, LoadedModel loaded, TrainingJob.Settings given) {
        Provenance p = loaded.saved().provenance();
        if (p == null || !loaded.hasOptimizerState()) {
            throw new ParameterException(command.commandLine(), resume + " holds " + (p == null ? "no training record" : "no optimizer state")
                    + ", so its training cannot be resumed exactly; save it with 'propel train ... --out' (which records both)");
        }
        if (given.epochs() <= p.epochs()) {
            throw new ParameterException(command.commandLine(), resume + " was trained for " + p.epochs()
                    + " epochs; --epochs is the total to reach, so give more than " + p.epochs());
        }
        String scheduleText = p.settings().getOrDefault("lr_schedule", "constant").toString();
        var config = p.resumeConfig(propel, given.epochs()).build();
        // Files written before schedules were saved as data record only the --lr-schedule text.
        LearningRateSchedule schedule = p.schedule() != null ? config.schedule() : LearningRateSchedule.parse(scheduleText);
        return new TrainingJob.Settings(given.epochs(), config.mode(), config.batchSize(), config.seed(),
                schedule, scheduleText, config.clipNorm(), given.earlyStopping(), config.validationSplit(), null);
    }

    private void warnIfOtherData(Provenance p, TrainTest data) {
        if (p.dataset() != null && !p.dataset().contentHash().equals(DatasetInfo.contentHash(data.train()))) {
            root.err.println("warning: the training data differs from the data " + resume + " was trained on ("
                    + p.dataset().name() + ", " + p.dataset().examples() + " examples); the run will not match an uninterrupted one");
        }
    }

    /** The trained model with its optimizer state and the record of this run (after the saved one's, when resumed). */
    static SavedModel saved(Propel propel, TrainingJob.Outcome o, TrainTest data, TrainingJob.Settings s, LoadedModel resumedFrom) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("lr_schedule", s.scheduleText());
        settings.putAll(o.heap().asSettings());
        Provenance run = Provenance.of(Provenance.BACKPROP, o.config(), o.history(), data.train(), propel.kernels().threads(),
                settings);
        Provenance provenance = resumedFrom == null ? run : resumedFrom.saved().provenance().followedBy(run);
        return SavedModel.builder(propel, o.model()).optimizer(o.optimizer(), true).provenance(provenance)
                .prediction(PredictionRule.forDataset(data.train())).build();
    }
}
