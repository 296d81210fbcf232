package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.data.TrainTest;
import dev.propel.model.AtomicFiles;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Tensor;
import dev.propel.train.GradientDescent;
import dev.propel.train.LearningRateSchedule;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingListener;
import dev.propel.train.ff.FfStack;
import dev.propel.train.ff.ForwardForwardTrainer;
import dev.propel.train.ff.UnsupportedLayerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code propel trace}: every number of a few backprop steps (forward values, error terms, gradients, updates) as
 * the {@link Trainer} computes them, laid out like a worked example; or, with {@code --compare-descent}, the loss
 * per update of batch, stochastic and mini-batch gradient descent on the same network; or, with
 * {@code --algorithm forward-forward}, each layer's goodness, p(positive) and local loss of the positive and
 * negative pass, and the parameters after each layer-local update.
 */
@Command(name = "trace", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show every number of backprop training steps: each layer's input, net input and output, the loss, "
                + "the error terms δ = ∂L/∂net, each parameter's gradient and its value after the update.",
                "Example: propel trace --spec examples/textbook-2-2-2.json --init-weights examples/textbook-2-2-2-weights.json "
                        + "--input 0.1,0.2 --target 0.05,0.95",
                "Real batches: propel trace --spec examples/mlp.json --data sample --batch-size 32 --steps 2 --json",
                "Descent variants: propel trace --spec S --data sample --compare-descent batch,stochastic,mini-batch:32 --steps 50",
                "Forward-Forward: propel trace --algorithm forward-forward --spec examples/ff-small.json --data sample --batch-size 8 --steps 2"})
final class TraceCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    private PropelCommand root;

    @Spec
    private CommandSpec command;

    @Option(names = "--spec", paramLabel = "FILE", description = "The model spec (JSON). Or --model.")
    private Path spec;

    @Option(names = "--model", paramLabel = "MODEL", description = "A saved model (.pb, .json or .onnx) to start from; its optimizer starts afresh.")
    private Path model;

    @Option(names = "--init-weights", paramLabel = "FILE",
            description = "Initial parameter values (JSON: parameter name to nested lists, as for 'propel train').")
    private Path initWeights;

    @Option(names = "--input", paramLabel = "VALUES",
            description = "The example(s) to train on: comma-separated values, examples separated by ';', e.g. 0.1,0.2.")
    private String input;

    @Option(names = "--target", paramLabel = "VALUES", description = "The target values, laid out like --input, e.g. 0.05,0.95.")
    private String target;

    @Option(names = "--data", paramLabel = "SOURCE",
            description = "Trace real batches of this data (fashion-mnist, sample or an IDX directory), drawn as 'propel train' draws them.")
    private String data;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Examples per step with --data (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1", description = "Updates to trace (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--optimizer", paramLabel = "TYPE", description = "Optimizer type (e.g. sgd, adam) instead of the spec's.")
    private String optimizer;

    @Option(names = {"--learning-rate", "--lr"}, paramLabel = "RATE", description = "Overrides the optimizer's learning_rate.")
    private Double learningRate;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed for initial weights, shuffling and dropout, as for 'propel train' (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--digits", paramLabel = "N", defaultValue = "5", description = "Decimals of the text output (default: ${DEFAULT-VALUE}).")
    private int digits;

    @Option(names = "--max-values", paramLabel = "N", defaultValue = "16",
            description = "Values shown per list in the text output and units drawn per layer in the report (default: ${DEFAULT-VALUE}).")
    private int maxValues;

    @Option(names = "--algorithm", paramLabel = "ALGORITHM", defaultValue = "backprop",
            description = "backprop, or forward-forward: show each layer's goodness, p(positive) and local loss of the positive and "
                    + "negative pass (with --data; the Forward-Forward options of 'propel train' apply) (default: ${DEFAULT-VALUE}).")
    private String algorithm;

    @Mixin
    private ForwardForwardOptions ffOptions;

    @Option(names = "--json", description = "Print one JSON object with every number instead of text.")
    private boolean json;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Also write an HTML page drawing the network with its values, step by step.")
    private Path report;

    @Option(names = "--compare-descent", paramLabel = "VARIANTS",
            description = "With --data: train the same network with each variant (batch, stochastic, mini-batch:N) for --steps updates "
                    + "and show the loss per update and per example seen.")
    private String compareDescent;

    @Option(names = "--eval-examples", paramLabel = "N", defaultValue = "500",
            description = "With --compare-descent: test examples the loss is measured on after every update (default: ${DEFAULT-VALUE}).")
    private int evalExamples;

    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
        checkOptions();
        if (forwardForward()) return traceForwardForward(ffOptions.settings());
        try (Propel propel = root.propel()) {
            ModelSpec modelSpec = spec != null ? ModelSpecJson.read(spec) : ModelIo.read(model).spec();
            String specName = Objects.requireNonNullElse(spec, model).toString();
            ComponentSpec optSpec = optimizerSpec(modelSpec);
            if (compareDescent != null) {
                TrainTest tt = DataLoader.load(data);
                List<DescentComparison.Variant> variants = DescentComparison.parse(compareDescent,
                        m -> new ParameterException(command.commandLine(), "--compare-descent: " + m));
                DescentComparison.Result result = DescentComparison.run(variants, steps, seed, () -> model(propel, modelSpec, specName),
                        () -> propel.optimizer(optSpec.type(), optSpec.attributes()), tt, evalExamples, root.err);
                root.out.println(json ? Json.write(DescentComparison.toJson(result)) : DescentComparison.text(result));
                if (report != null) writeReport(TraceHtml.descentPage(specName, result));
                return 0;
            }
            Model m = model(propel, modelSpec, specName);
            Optimizer opt = propel.optimizer(optSpec.type(), optSpec.attributes());
            Tensor targets = null;
            Dataset train;
            int batch;
            if (input != null) {
                Tensor x = values("--input", input, m.inputShape().size());
                targets = values("--target", target, m.outputShape().size());
                if (x.rows() != targets.rows()) {
                    throw new ParameterException(command.commandLine(), "--input has " + x.rows() + " example(s) but --target " + targets.rows()
                            + "; give one target row per example (rows separated by ';')");
                }
                train = Dataset.regression("--input", x, targets).shapedFor(m.inputShape());
                batch = x.rows(); // one batch per epoch
            } else {
                train = DataLoader.load(data).train().shapedFor(m.inputShape());
                TrainingJob.checkFits(m, modelSpec, specName, train, data);
                batch = batchSize;
            }
            TraceRecorder recorder = new TraceRecorder(m, opt, steps);
            TrainingConfig config = traceConfig(batch, input == null, recorder);
            new Trainer(config, recorder).fit(m, opt, train, null);
            Trace trace = recorder.trace(opt.typeId());
            root.out.print(json ? Json.write(TraceJson.toJson(trace)) + "\n" : TraceText.render(trace, targets, digits, maxValues));
            if (report != null) writeReport(TraceHtml.tracePage(specName, trace, targets, digits, maxValues));
        }
        return 0;
    }

    /** Traces Forward-Forward steps on --data: the stack trained as 'train --algorithm forward-forward' trains it. */
    private int traceForwardForward(ForwardForwardOptions.Settings f) {
        try (Propel propel = root.propel()) {
            ModelSpec modelSpec = ModelSpecJson.read(spec);
            String specName = spec.toString();
            Model stack = model(propel, modelSpec, specName);
            try {
                FfStack.of(stack);
            } catch (UnsupportedLayerException e) {
                throw new SpecException(specName, "layers[" + e.layerIndex() + "]", e.getMessage());
            }
            Dataset train = DataLoader.load(data).train().shapedFor(stack.inputShape());
            ComponentSpec optSpec = optimizerSpec(modelSpec);
            FfTraceRecorder recorder = new FfTraceRecorder(stack, steps);
            TrainingConfig training = traceConfig(batchSize, true, recorder);
            new ForwardForwardTrainer(ForwardForwardJob.config(training, () -> propel.optimizer(optSpec.type(), optSpec.attributes()), f))
                    .fit(stack, train, null);
            FfTraceRecorder.Trace trace = recorder.trace(optSpec.type());
            root.out.print(json ? Json.write(FfTraceOutput.toJson(trace)) + "\n" : FfTraceOutput.render(trace, digits, maxValues));
        }
        return 0;
    }

    /**
     * Mini-batches of {@code batch} drawn as 'train --seed' draws them, a constant rate, and {@code steps} epochs: every
     * epoch has at least one batch, so that is enough; the recorder stops the run after {@code steps} updates.
     */
    private TrainingConfig traceConfig(int batch, boolean shuffle, TrainingListener recorder) {
        return TrainingConfig.builder().epochs(steps).mode(GradientDescent.MINI_BATCH).batchSize(batch).seed(seed)
                .shuffle(shuffle).schedule(LearningRateSchedule.constant()).listener(recorder).build();
    }

    private boolean forwardForward() {
        return switch (algorithm.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "backprop" -> false;
            case "forward-forward", "ff" -> true;
            default -> throw new ParameterException(command.commandLine(), "--algorithm: expected backprop or forward-forward but got '"
                    + algorithm + "'");
        };
    }

    private void checkOptions() {
        if (forwardForward()) {
            if (spec == null) usage("--algorithm forward-forward traces a new stack: give --spec FILE (Forward-Forward models are not resumed)");
            if (data == null) usage("--algorithm forward-forward needs --data: its positive and negative examples embed the labels of real "
                    + "examples, e.g. --data sample");
            if (input != null || target != null) usage("--algorithm forward-forward trains on --data; --input and --target do not apply");
            if (compareDescent != null) usage("--compare-descent compares backprop variants; it does not apply to --algorithm forward-forward");
            if (report != null) usage("--report draws backprop networks; for Forward-Forward use the text output or --json");
        } else if (!ffOptions.given().isEmpty()) {
            usage(String.join(", ", ffOptions.given()) + " only applies to --algorithm forward-forward");
        }
        if ((spec == null) == (model == null)) {
            usage(spec == null ? "give the network: --spec FILE (a JSON spec) or --model MODEL (a saved model)"
                    : "--spec and --model exclude each other");
        }
        if (compareDescent != null) {
            if (data == null) usage("--compare-descent needs --data: the variants are compared on real examples, e.g. --data sample");
            if (input != null || target != null) usage("--compare-descent trains on --data; --input and --target do not apply");
        } else if ((input == null) == (data == null)) {
            usage(input == null ? "give what to train on: --input VALUES --target VALUES, or --data SOURCE"
                    : "--input and --data exclude each other");
        }
        var parsed = command.commandLine().getParseResult();
        if (input != null && parsed.hasMatchedOption("--batch-size")) {
            usage("--batch-size applies to --data; with --input each step trains on the examples given (separate them with ';')");
        }
        if (compareDescent == null && parsed.hasMatchedOption("--eval-examples")) usage("--eval-examples applies to --compare-descent");
        if (input != null && target == null) usage("--input needs --target (the values the outputs should reach), e.g. --target 0.05,0.95");
        if (target != null && input == null) usage("--target needs --input");
        if (steps < 1) usage("--steps must be at least 1, got " + steps);
        if (batchSize < 1) usage("--batch-size must be at least 1, got " + batchSize);
        if (digits < 0 || digits > 9) usage("--digits must be between 0 and 9, got " + digits);
        if (maxValues < 1) usage("--max-values must be at least 1, got " + maxValues);
        if (evalExamples < 1) usage("--eval-examples must be at least 1, got " + evalExamples);
        if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) usage("--learning-rate must be a number > 0, got " + learningRate);
        if (report != null) {
            if (json) usage("--report and --json: choose one (the report is written to a file, the JSON to standard output)");
            for (Path in : new Path[] {spec, model, initWeights}) {
                if (in != null && in.toAbsolutePath().normalize().equals(report.toAbsolutePath().normalize())) {
                    usage("--report " + report + " is one of the command's inputs; give another file name");
                }
            }
            Path dir = report.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) usage("--report: the directory " + dir + " does not exist; create it first");
            if (Files.isDirectory(report)) usage("--report " + report + " is a directory; give a file name such as trace.html");
        }
    }

    /** The network to trace: built from the spec with --seed, or loaded; then --init-weights. */
    private Model model(Propel propel, ModelSpec modelSpec, String specName) {
        Model m;
        if (spec != null) {
            m = TrainingJob.build(propel, modelSpec, specName, seed);
        } else {
            LoadedModel loaded = ModelIo.load(propel, model);
            m = loaded.model();
        }
        if (initWeights != null) InitWeights.apply(initWeights, m);
        return m;
    }

    /** The spec's optimizer (Adam 0.001 if none), or --optimizer with its defaults, with --learning-rate on top. */
    private ComponentSpec optimizerSpec(ModelSpec modelSpec) {
        ComponentSpec base = TrainingJob.optimizerSpec(modelSpec, null);
        if (optimizer != null && !optimizer.equals(base.type())) base = ComponentSpec.of(optimizer, Map.of());
        return TrainingJob.withLearningRate(base, learningRate);
    }

    /** "0.1,0.2;0.3,0.4" as a [rows, width] tensor, or a usage error naming the option and the bad value. */
    private Tensor values(String option, String text, int width) {
        List<float[]> rows = new ArrayList<>();
        for (String row : text.split(";")) {
            String[] cells = row.split(",");
            if (cells.length != width) {
                usage(option + ": each example needs " + width + " comma-separated values (the model's "
                        + (option.equals("--input") ? "input" : "output") + " size) but '" + row.trim() + "' has " + cells.length);
            }
            float[] v = new float[width];
            for (int i = 0; i < width; i++) {
                try {
                    v[i] = Float.parseFloat(cells[i].trim());
                } catch (NumberFormatException e) {
                    usage(option + ": '" + cells[i].trim() + "' is not a number");
                }
                if (!Float.isFinite(v[i])) usage(option + ": '" + cells[i].trim() + "' is not a finite number");
            }
            rows.add(v);
        }
        float[] all = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) System.arraycopy(rows.get(r), 0, all, r * width, width);
        return Tensor.of(all, rows.size(), width);
    }

    private void writeReport(String html) {
        try {
            AtomicFiles.write(report, ch -> ch.write(ByteBuffer.wrap(html.getBytes(StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + report + ": " + e.getMessage(), e);
        }
        root.err.println("wrote the trace report to " + report);
    }

    private void usage(String message) {
        throw new ParameterException(command.commandLine(), message);
    }
}
