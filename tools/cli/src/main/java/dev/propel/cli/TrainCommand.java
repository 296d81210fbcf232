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

/** {@code propel train}: trains the model a JSON spec describes, with backpropagation. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the model described by a JSON spec with backpropagation, measuring the test split after every epoch.",
                "Example: propel train --spec examples/mlp.json --data fashion-mnist --epochs 10 --batch-size 128 --seed 1"})
final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    private PropelCommand root;

    @Option(names = "--spec", paramLabel = "FILE", required = true,
            description = "The model spec (JSON), e.g. examples/mlp.json.")
    private Path spec;

    @Option(names = "--data", paramLabel = "SOURCE", defaultValue = "fashion-mnist",
            description = "fashion-mnist (the installed dataset), sample (the bundled sample) or a directory of IDX files (default: ${DEFAULT-VALUE}).")
    private String data;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Epochs to train (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Mixin
    private TrainOptions options;

    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
        TrainingJob.Settings settings = options.settings(epochs);
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
}
