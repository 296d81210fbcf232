package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.data.TrainTest;
import dev.propel.model.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code propel train}: trains the model a JSON spec describes, with backpropagation or Forward-Forward. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the model described by a JSON spec with backpropagation (or Forward-Forward), measuring the test split after every epoch.",
                "Example: propel train --spec examples/mlp.json --data fashion-mnist --epochs 10 --batch-size 128 --seed 1",
                "         propel train --algorithm forward-forward --spec examples/ff.json --epochs 30 --batch-size 100 --lr-schedule linear-half"})
final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    private PropelCommand root;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec commandSpec;

    @Option(names = "--spec", paramLabel = "FILE", required = true,
            description = "The model spec (JSON), e.g. examples/mlp.json.")
    private Path spec;

    @Option(names = "--data", paramLabel = "SOURCE", defaultValue = "fashion-mnist",
            description = "fashion-mnist (the installed dataset), sample (the bundled sample) or a directory of IDX files (default: ${DEFAULT-VALUE}).")
    private String data;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Epochs to train (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--algorithm", paramLabel = "ALGORITHM", defaultValue = "backprop",
            description = "backprop (default) or forward-forward (Hinton's layer-local training; the spec then holds only hidden layers, see docs/forward-forward.md).")
    private String algorithm;

    @Mixin
    private TrainOptions options;

    @Mixin
    private ForwardForwardOptions ffOptions;

    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
        TrainingJob.Settings settings = options.settings(epochs);
        boolean forwardForward = switch (algorithm.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "backprop" -> false;
            case "forward-forward", "ff" -> true;
            default -> throw new picocli.CommandLine.ParameterException(spec(), "--algorithm: expected backprop or forward-forward but got '"
                    + algorithm + "'");
        };
        if (!forwardForward && !ffOptions.given().isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec(), String.join(", ", ffOptions.given())
                    + " only applies to --algorithm forward-forward");
        }
        if (forwardForward) return trainForwardForward(settings, ffOptions.settings());
        ModelSpec modelSpec = ModelSpecJson.read(spec);
        try (Propel propel = root.propel()) {
            new SpecChecker(propel, spec.toString()).check(modelSpec);
            TrainTest trainTest = DataLoader.load(data);
            TrainingJob.Outcome outcome = TrainingJob.run(propel, modelSpec, spec.toString(), trainTest, data, settings,
                    root.err, root.stderrIsTerminal);
            if (options.json) {
                root.out.println(Json.write(TrainReport.toJson("train", spec.toString(), data, trainTest, settings, propel, outcome)));
            } else {
                root.out.println(TrainingJob.summaryLine(outcome));
            }
        }
        return 0;
    }

    private int trainForwardForward(TrainingJob.Settings settings, ForwardForwardOptions.Settings ff) {
        ModelSpec modelSpec = ModelSpecJson.read(spec);
        try (Propel propel = root.propel()) {
            new SpecChecker(propel, spec.toString()).check(modelSpec);
            TrainTest trainTest = DataLoader.load(data);
            ForwardForwardJob.Outcome outcome = ForwardForwardJob.run(propel, modelSpec, spec.toString(), trainTest, data, settings, ff,
                    root.err, root.stderrIsTerminal);
            if (options.json) {
                root.out.println(Json.write(ForwardForwardReport.toJson("train", spec.toString(), data, trainTest, settings, ff, propel,
                        outcome)));
            } else {
                root.out.println(ForwardForwardJob.summaryLine(outcome));
            }
        }
        return 0;
    }

    private picocli.CommandLine spec() {
        return commandSpec.commandLine();
    }
}
