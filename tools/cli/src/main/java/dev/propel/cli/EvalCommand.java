package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code propel eval}: a saved model's loss and accuracy on a dataset's test split. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure a saved model's loss and accuracy on the test split of a dataset.",
                "Example: propel eval model.pb --data fashion-mnist --json"})
final class EvalCommand implements Callable<Integer> {
    @ParentCommand
    private PropelCommand root;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (.pb, .json or .onnx).")
    private Path file;

    @Option(names = "--data", paramLabel = "SOURCE", defaultValue = "fashion-mnist",
            description = "fashion-mnist, sample or a directory of IDX files (its test split is used), or a CSV file (all of it) (default: ${DEFAULT-VALUE}).")
    private String data;

    @Mixin
    private CsvOptions csv = new CsvOptions();


    @Option(names = "--json", description = "Print one JSON object: {\"accuracy\", \"loss\", \"examples\", ...}.")
    private boolean json;

    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
        try (Propel propel = root.propel()) {
            SavedPredictor model = SavedPredictor.of(file, ModelIo.load(propel, file));
            Dataset test = DataLoader.loadTest(data, csv);
            model.requireFits(test, data);
            long t0 = System.nanoTime();
            Evaluation e = model.evaluate(test);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (json) {
                ObjectNode o = Json.object().put("model", file.toString()).put("data", data).put("split", "test")
                        .put("examples", e.examples());
                Json.putMetric(o, "accuracy", e.accuracy());
                Json.putMetric(o, "loss", e.loss());
                Json.putSeconds(o, "seconds", seconds);
                root.out.println(Json.write(o));
            } else {
                root.out.println(String.format(Locale.ROOT, "%s on %s (test split, %,d examples): %sloss %.4f", file, data,
                        e.examples(), Float.isNaN(e.accuracy()) ? "" : String.format(Locale.ROOT, "accuracy %.4f, ", e.accuracy()),
                        e.loss()));
            }
        }
        return 0;
    }
}
