package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.ComponentSpec;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.spi.Optimizer;
import dev.propel.train.EpochMetrics;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code propel bench train}: training samples per second of the 784-512-512-10 MLP ({@link BenchMlp})
 * with Adam and batch 128, through the real {@link Trainer} (shuffling, batch copies, loss, backward,
 * gradient checks and optimizer step all included). The first epochs warm the JIT up and are not
 * counted; the figure is the best of the timed epochs.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Training samples/s of the 784-512-512-10 ReLU MLP (cross-entropy, Adam, batch 128), or of the model of --spec.",
                "Example: propel bench train --threads 1 --json"})
final class BenchTrainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions global;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3", description = "Timed epochs (default ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--warmup-epochs", paramLabel = "N", defaultValue = "1",
            description = "Untimed epochs first, for the JIT (default ${DEFAULT-VALUE}).")
    private int warmupEpochs;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "60000",
            description = "Training examples per epoch (default ${DEFAULT-VALUE}, all of Fashion-MNIST).")
    private int samples;

    @Option(names = "--data", paramLabel = "SOURCE",
            description = "fashion-mnist or synthetic (default: fashion-mnist when installed, else synthetic).")
    private String data;

    @Option(names = "--unfused", description = "Separate relu layers instead of dense layers with activation=relu.")
    private boolean unfused;

    @Option(names = "--spec", paramLabel = "FILE",
            description = "Time this model spec (its optimizer; input shaped from the [784] images, e.g. [28, 28] for a recurrent model) instead of the MLP.")
    private Path specFile;

    @Option(names = "--json", description = "Print one JSON object to standard output instead of text.")
    private boolean json;

    @Override
    public Integer call() {
        if (epochs < 1) throw new ParameterException(spec.commandLine(), "--epochs must be at least 1, got " + epochs);
        if (warmupEpochs < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup-epochs must be at least 0, got " + warmupEpochs);
        }
        if (batchSize < 1) throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
        if (samples < 1) throw new ParameterException(spec.commandLine(), "--samples must be at least 1, got " + samples);
        if (specFile != null && unfused) throw new ParameterException(spec.commandLine(), "--unfused applies to the MLP, not to --spec");
        ModelSpec modelSpec = specFile == null ? BenchMlp.spec(unfused) : ModelSpecJson.read(specFile);
        String network = specFile == null ? BenchMlp.describe(unfused) : specFile.toString();
        String source = data == null ? BenchMlp.defaultData() : data;
        Dataset train;
        try {
            train = BenchMlp.trainingData(source, samples);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PropelCommand root = (PropelCommand) spec.root().userObject();
        try (Propel propel = root.propel()) {
            Model model = propel.build(modelSpec, 1);
            ComponentSpec opt = modelSpec.optimizer() == null ? ComponentSpec.of("adam", Map.of("learning_rate", 0.001)) : modelSpec.optimizer();
            Optimizer adam = propel.optimizer(opt.type(), opt.attributes());
            train = train.shapedFor(model.inputShape());
            TrainingConfig config = TrainingConfig.builder().epochs(warmupEpochs + epochs).batchSize(batchSize).seed(1).build();
            TrainingHistory history = new Trainer(config).fit(model, adam, train, null);
            List<EpochMetrics> timed = history.epochs().subList(warmupEpochs, history.epochs().size());
            double best = 0;
            double seconds = 0;
            for (EpochMetrics m : timed) {
                best = Math.max(best, train.size() / m.seconds());
                seconds += m.seconds();
            }
            double mean = timed.size() * train.size() / seconds;
            if (json) {
                ObjectNode o = Json.object();
                o.put("benchmark", "train");
                o.put("network", network);
                o.put("data", source);
                o.put("samples", train.size());
                o.put("batch_size", batchSize);
                o.put("threads", model.kernels().threads());
                o.put("kernels", model.kernels().name());
                o.put("samples_per_second", BenchGemmCommand.round(best));
                o.put("samples_per_second_mean", BenchGemmCommand.round(mean));
                ArrayNode epochSeconds = o.putArray("epoch_seconds");
                for (EpochMetrics m : timed) epochSeconds.add(Math.round(m.seconds() * 1000) / 1000.0);
                Json.putMetric(o, "final_loss", timed.getLast().trainLoss());
                root.out.println(Json.write(o));
            } else {
                root.out.printf(Locale.ROOT, "train %s, batch %d, %d %s samples, %s: %.0f samples/s "
                                + "(best of %d epochs; mean %.0f), final loss %.4f%n",
                        network, batchSize, train.size(), source, model.kernels().name(), best,
                        timed.size(), mean, timed.getLast().trainLoss());
            }
        }
        return 0;
    }
}
