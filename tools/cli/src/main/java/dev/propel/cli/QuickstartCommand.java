package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.data.FashionMnist;
import dev.propel.data.TrainTest;
import dev.propel.model.ModelSpec;
import dev.propel.train.LearningRateSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code propel quickstart}: the multilayer perceptron of {@code examples/mlp.json} (784-512-512-10,
 * ReLU, cross-entropy, Adam 0.001) trained with backpropagation for 3 epochs on Fashion-MNIST: the
 * installed dataset when present, else the bundled sample. Then a small Forward-Forward network
 * ({@code examples/ff-small.json}, 784-500-500) is trained on the same data for as many epochs, both
 * models are saved, and {@code propel compare}'s HTML report of the two is written next to them.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the multilayer perceptron of examples/mlp.json with backpropagation, then a small Forward-Forward network, and compare them.",
                "The MLP (784-512-512-10, ReLU, Adam) trains on Fashion-MNIST (the installed dataset if present, else the bundled sample)",
                "and prints its test accuracy; then the Forward-Forward network (examples/ff-small.json) trains on the same data;",
                "both models are saved and a comparison report is written."})
final class QuickstartCommand implements Callable<Integer> {
    /** The quickstart model: examples/mlp.json, packaged into the jar by the build. */
    static final String SPEC_RESOURCE = "mlp.json";
    /** The quickstart's Forward-Forward network: examples/ff-small.json, packaged the same way. */
    static final String FF_SPEC_RESOURCE = "ff-small.json";

    @ParentCommand
    private PropelCommand root;

    @Option(names = "--data", paramLabel = "SOURCE",
            description = "fashion-mnist, sample or a directory of IDX files (default: fashion-mnist if installed, else sample).")
    private String data;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3", description = "Epochs to train (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "propel-out/quickstart.pb",
            description = "Where to save the trained model (default: ${DEFAULT-VALUE}).")
    private java.nio.file.Path out;

    @Option(names = "--no-forward-forward", description = "Train only the backprop model (no Forward-Forward model, no comparison report).")
    private boolean noForwardForward;

    @Mixin
    private TrainOptions options;

    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
        String source = data != null ? data : DataLoader.quickstartSource();
        if (data == null && source.equals(FashionMnist.SAMPLE_ALIAS)) {
            root.err.println("quickstart: Fashion-MNIST is not installed in " + DataLoader.INSTALLED_FASHION_MNIST
                    + ", so the bundled sample is used; for the full dataset: apt-get install " + FashionMnist.DEBIAN_PACKAGE);
        }
        ModelSpec spec = ModelSpecJson.parse(specText(), "examples/" + SPEC_RESOURCE);
        java.nio.file.Path dir = out.toAbsolutePath().getParent();
        if (dir != null && out.toString().equals("propel-out/quickstart.pb")) {
            try {
                java.nio.file.Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir + " to save the model in: " + e.getMessage(), e);
            }
        }
        ModelIo.checkWritable("--out", out);
        if (!noForwardForward) {
            ModelIo.checkWritable("--out (its Forward-Forward sibling)", sibling(out, "-ff"));
            OutputFiles.check("--out (its report)", reportFile(out), List.of());
        }
        try (Propel propel = root.propel()) {
            TrainingJob.Settings settings = options.settings(epochs, propel);
            TrainTest trainTest = DataLoader.load(source);
            TrainingJob.Outcome outcome = TrainingJob.run(propel, spec, "quickstart MLP 784-512-512-10", trainTest, source,
                    settings, root.err, root.stderrIsTerminal);
            ModelIo.save(propel, TrainCommand.saved(propel, outcome, trainTest, settings, null), out);
            root.err.println("saved the model to " + out + "; look inside with: ./propel inspect " + out
                    + " (or convert it to JSON: ./propel convert " + out + " " + out.resolveSibling(stem(out) + ".json") + ")");
            com.fasterxml.jackson.databind.node.ObjectNode report = TrainReport.toJson("quickstart", "examples/" + SPEC_RESOURCE, source,
                    trainTest, settings, propel, outcome);
            String ffLine = noForwardForward ? null : forwardForward(propel, trainTest, source, settings, outcome, report);
            if (options.json) {
                root.out.println(Json.write(report));
            } else {
                root.out.println(TrainingJob.summaryLine(outcome));
                if (ffLine != null) root.out.println(ffLine);
            }
        }
        return 0;
    }

    /**
     * Trains the small Forward-Forward network with Hinton's schedule and the paper's defaults, saves
     * it next to the backprop model, writes the comparison report, and adds both to the JSON report.
     * Returns the summary lines.
     */
    private String forwardForward(Propel propel, TrainTest trainTest, String source, TrainingJob.Settings bpSettings,
                                  TrainingJob.Outcome backprop, com.fasterxml.jackson.databind.node.ObjectNode json) {
        java.nio.file.Path ffOut = sibling(out, "-ff");
        java.nio.file.Path reportOut = reportFile(out);
        TrainingJob.Settings s = new TrainingJob.Settings(bpSettings.epochs(), dev.propel.train.GradientDescent.MINI_BATCH, 100,
                bpSettings.seed(), LearningRateSchedule.linearHalf(), "linear-half", 0f, -1, 0, null);
        ForwardForwardOptions.Settings f = new ForwardForwardOptions.Settings(dev.propel.train.ff.Goodness.SUM, 1f,
                dev.propel.train.ff.NegativeLabels.RANDOM, dev.propel.train.ff.LayerSchedule.SIMULTANEOUS,
                dev.propel.train.ff.PredictionRule.GOODNESS, -1, List.of(), Float.NaN, 0f, Float.NaN);
        ModelSpec spec = ModelSpecJson.parse(resourceText(FF_SPEC_RESOURCE), "examples/" + FF_SPEC_RESOURCE);
        ForwardForwardJob.Outcome ff = ForwardForwardJob.run(propel, spec, "quickstart Forward-Forward 784-500-500", trainTest, source,
                s, f, root.err, root.stderrIsTerminal);
        dev.propel.model.SavedModel ffSaved = ForwardForwardJob.saved(propel, ff, trainTest, s, f);
        ModelIo.save(propel, ffSaved, ffOut);
        dev.propel.model.SavedModel bpSaved = TrainCommand.saved(propel, backprop, trainTest, bpSettings, null);
        ModelComparison c = ModelComparison.compute(
                ComparedModel.forwardForward(ffOut.getFileName().toString(), ff.model(), CompareCommand.training(ffSaved.provenance()),
                        ModelSummary.of(ffSaved)),
                ComparedModel.backprop(out.getFileName().toString(), backprop.model(), CompareCommand.training(bpSaved.provenance()),
                        ModelSummary.of(bpSaved)),
                trainTest.test(), source);
        OutputFiles.writeString("the report", reportOut, CompareHtml.render(c, CompareHtml.Origin.of(root.commandLine(), ffSaved, bpSaved)));
        root.err.println("saved the Forward-Forward model to " + ffOut + " and the comparison report to " + reportOut
                + " (the same as: ./propel compare " + ffOut + " " + out + " --data " + source + " --report " + reportOut + ")");
        com.fasterxml.jackson.databind.node.ObjectNode n = json.putObject("forward_forward");
        n.put("spec", "examples/" + FF_SPEC_RESOURCE);
        n.put("model", ffOut.toString());
        n.put("parameters", ff.model().parameterCount());
        Json.putMetric(n, "test_accuracy", ff.epochs().getLast().testAccuracy());
        Json.putSeconds(n, "seconds", ff.history().seconds());
        n.put("report", reportOut.toString());
        Json.putMetric(n, "agreement", c.agreement().rate());
        return ForwardForwardJob.summaryLine(ff) + String.format(Locale.ROOT,
                "%ncomparison: the two agree on %.1f%% of the test examples; report: %s", 100 * c.agreement().rate(), reportOut);
    }

    /** "dir/quickstart-ff.pb" for "dir/quickstart.pb" and "-ff". */
    private static java.nio.file.Path sibling(java.nio.file.Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling(dot < 0 ? name + suffix : name.substring(0, dot) + suffix + name.substring(dot));
    }

    /** "dir/quickstart-report.html" for "dir/quickstart.pb". */
    private static java.nio.file.Path reportFile(java.nio.file.Path model) {
        return model.resolveSibling(stem(model) + "-report.html");
    }

    private static String stem(java.nio.file.Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    static String specText() {
        return resourceText(SPEC_RESOURCE);
    }

    private static String resourceText(String resource) {
        try (InputStream in = QuickstartCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the quickstart model " + resource + " is missing from the propel-cli jar; rebuild it with "
                        + "'mvn -q -DskipTests package -pl tools/cli -am'");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the quickstart model " + resource + ": " + e.getMessage(), e);
        }
    }
}
