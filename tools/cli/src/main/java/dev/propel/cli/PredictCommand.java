package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.Propel;
import dev.propel.data.CsvReader;
import dev.propel.data.Dataset;
import dev.propel.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code propel predict}: a saved model's predictions for examples in a CSV file or a dataset's test split. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict with a saved model: one line per example, the predicted class (argmax models) or the outputs.",
                "Examples: propel predict model.pb --input examples.csv   |   propel predict model.pb --data sample --limit 5"})
final class PredictCommand implements Callable<Integer> {
    @ParentCommand
    private PropelCommand root;

    @Spec
    private CommandSpec command;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (.pb, .json or .onnx).")
    private Path file;

    @Option(names = "--input", paramLabel = "CSV",
            description = "Examples, one per line: the input values separated by commas or spaces; '#' starts a comment line; a first line of names is a header. "
                    + "With --spark: Parquet or CSV data on any Hadoop file system (see docs/spark.md).")
    private String input;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Predict on Apache Spark (local[N] or a cluster URL), writing every prediction to --output. Needs the Spark module: see docs/spark.md.")
    private String spark;

    @Option(names = "--output", paramLabel = "PATH",
            description = "With --spark: where the predictions go, Parquet (or CSV when PATH ends in .csv); written whole or not at all, never over an existing path.")
    private String output;

    @Option(names = "--data", paramLabel = "SOURCE", description = "Or: predict the test split of fashion-mnist, sample or an IDX directory, or the rows of a CSV file with labels.")
    private String data;

    @Mixin
    private CsvOptions csv = new CsvOptions();


    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "With --data: the first N test examples (default: ${DEFAULT-VALUE}).")
    private int limit;

    @Option(names = "--json", description = "Print one JSON object with the predictions (and outputs).")
    private boolean json;

    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
        if ((input == null) == (data == null)) {
            throw new ParameterException(command.commandLine(), "give the examples to predict: --input CSV or --data SOURCE");
        }
        if (limit < 1) throw new ParameterException(command.commandLine(), "--limit must be at least 1, got " + limit);
        if (spark != null || output != null) return predictOnSpark();
        try (Propel propel = root.propel()) {
            SavedPredictor model = SavedPredictor.of(file, ModelIo.load(propel, file));
            Tensor x;
            int[] labels = null;
            if (data != null) {
                Dataset test = DataLoader.loadTest(data, csv).head(limit);
                model.requireFits(test, data);
                x = test.features();
                labels = test.labels();
            } else {
                x = readCsv(Path.of(input), model.inputSize());
            }
            Tensor out = model.outputs(x);
            requireFinite(out);
            int[] classes = model.classifies() ? model.predictClasses(x) : null;
            print(out, classes, labels);
        }
        return 0;
    }

    /** {@code --spark}: every example of {@code --input} predicted on the executors, written to {@code --output}. */
    private int predictOnSpark() {
        if (spark == null || output == null || input == null) {
            throw new ParameterException(command.commandLine(), spark == null ? "--output goes with --spark MASTER (without it, predictions are printed)"
                    : "--spark predicts --input PATH (Parquet or CSV) into --output PATH; give both");
        }
        if (output.equals(input) || Path.of(output).toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize())) {
            throw new ParameterException(command.commandLine(), "--output " + output + " is an input of this command; writing there "
                    + "would destroy it, so give another path");
        }
        SparkSupport support = SparkSupport.find();
        try (Propel propel = root.propel(); SparkSupport.Connection cluster = support.connect(spark, root.err)) {
            long n = cluster.predict(ModelIo.load(propel, file), file.toString(), input, output);
            if (json) {
                root.out.println(Json.write(Json.object().put("model", file.toString()).put("input", input).put("output", output)
                        .put("examples", n)));
            } else {
                root.out.println("predicted " + n + " examples of " + input + " with " + file + " into " + output);
            }
        }
        return 0;
    }

    private void print(Tensor out, int[] classes, int[] labels) {
        int rows = out.rows();
        int cols = out.rowSize();
        if (json) {
            ObjectNode o = Json.object().put("model", file.toString()).put("examples", rows);
            if (classes != null) {
                ArrayNode p = o.putArray("predictions");
                for (int c : classes) p.add(c);
            }
            if (labels != null) {
                ArrayNode l = o.putArray("labels");
                for (int c : labels) l.add(c);
            }
            ArrayNode outputs = o.putArray("outputs");
            for (int r = 0; r < rows; r++) {
                ArrayNode row = outputs.addArray();
                for (int c = 0; c < cols; c++) row.add(out.data()[r * cols + c]);
            }
            root.out.println(Json.write(o));
            return;
        }
        for (int r = 0; r < rows; r++) {
            if (classes != null) {
                root.out.println(classes[r] + (labels == null ? "" : "\t(label " + labels[r] + ")"));
            } else {
                StringBuilder sb = new StringBuilder();
                for (int c = 0; c < cols; c++) sb.append(c == 0 ? "" : " ").append(out.data()[r * cols + c]);
                root.out.println(sb);
            }
        }
    }

    /** A NaN or infinite output has no predicted class: refused rather than printed as class 0. */
    private void requireFinite(Tensor out) {
        int cols = out.rowSize();
        for (int i = 0; i < out.size(); i++) {
            if (!Float.isFinite(out.data()[i])) {
                throw new IllegalArgumentException(file + " gives " + out.data()[i] + " for output " + (i % cols) + " of example "
                        + (i / cols + 1) + ", so it predicts nothing; its weights may hold NaN or infinity (see 'propel inspect "
                        + file + "') or the example is out of the range it was trained on");
            }
        }
    }

    /** Rows of numbers; every row must have {@code width} values. */
    static Tensor readCsv(Path csv, int width) {
        List<String> lines = TextFiles.read(csv, "CSV", TextFiles.maxDataBytes(),
                "--input takes a text file with one example per line: " + width + " numbers separated by commas or spaces").lines().toList();
        List<float[]> rows = new ArrayList<>();
        boolean first = true;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] parts = line.split("[,;\\s]+");
            // A first line of names is a header, detected as the core's CsvReader does (see docs/cli.md).
            boolean header = first && CsvReader.isHeader(List.of(parts));
            first = false;
            if (header) continue;
            if (parts.length != width) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s line %d: %d values but the model takes %d per example",
                        csv, i + 1, parts.length, width));
            }
            float[] row = new float[width];
            for (int j = 0; j < width; j++) {
                try {
                    row[j] = Float.parseFloat(parts[j]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(csv + " line " + (i + 1) + ", column " + (j + 1) + ": '" + parts[j] + "' is not a number");
                }
                if (!Float.isFinite(row[j])) {
                    throw new IllegalArgumentException(csv + " line " + (i + 1) + ", column " + (j + 1) + ": '" + parts[j]
                            + "' is not a finite number; a model predicts nothing meaningful from NaN or infinity, so fix or drop the row");
                }
            }
            rows.add(row);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException(csv + " holds no examples (one line of " + width + " numbers per example)");
        float[] all = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) System.arraycopy(rows.get(r), 0, all, r * width, width);
        return Tensor.of(all, rows.size(), width);
    }
}
