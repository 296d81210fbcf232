package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.data.FashionMnist;
import dev.propel.data.TrainTest;
import dev.propel.model.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code propel quickstart}: the multilayer perceptron of {@code examples/mlp.json} (784-512-512-10,
 * ReLU, cross-entropy, Adam 0.001) trained with backpropagation for 3 epochs on Fashion-MNIST: the
 * installed dataset when present, else the bundled sample.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the multilayer perceptron of examples/mlp.json (784-512-512-10, ReLU, Adam) with backpropagation on Fashion-MNIST",
                "(the installed dataset if present, else the bundled sample) and print its test accuracy."})
final class QuickstartCommand implements Callable<Integer> {
    /** The quickstart model: examples/mlp.json, packaged into the jar by the build. */
    static final String SPEC_RESOURCE = "mlp.json";

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

    @Mixin
    private TrainOptions options;

    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
        TrainingJob.Settings settings = options.settings(epochs);
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
        ModelIo.checkWritable(out);
        try (Propel propel = root.propel()) {
            TrainTest trainTest = DataLoader.load(source);
            TrainingJob.Outcome outcome = TrainingJob.run(propel, spec, "quickstart MLP 784-512-512-10", trainTest, source,
                    settings, root.err, root.stderrIsTerminal);
            ModelIo.save(TrainCommand.saved(propel, outcome, trainTest, settings, null), out);
            root.err.println("saved the model to " + out + "; look inside with: ./propel inspect " + out
                    + " (or convert it to JSON: ./propel convert " + out + " quickstart.json)");
            if (options.json) {
                root.out.println(Json.write(TrainReport.toJson("quickstart", "examples/" + SPEC_RESOURCE, source, trainTest,
                        settings, propel, outcome)));
            } else {
                root.out.println(TrainingJob.summaryLine(outcome));
            }
        }
        return 0;
    }

    static String specText() {
        try (InputStream in = QuickstartCommand.class.getResourceAsStream(SPEC_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the quickstart model " + SPEC_RESOURCE + " is missing from the propel-cli jar; rebuild it with "
                        + "'mvn -q -DskipTests package -pl tools/cli -am'");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the quickstart model " + SPEC_RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
