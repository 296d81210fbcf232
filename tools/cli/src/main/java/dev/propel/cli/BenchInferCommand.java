package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code propel bench infer}: forward passes of the 784-512-512-10 MLP ({@link BenchMlp}) through one
 * reused inference session: the latency of one call and the samples per second, for a batch of
 * {@code --batch-size} random inputs. Batch 1 measures latency, a large batch throughput.
 */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = {"Inference latency and samples/s of the 784-512-512-10 ReLU MLP for one batch size.",
                "Example: propel bench infer --batch-size 1 --threads 1 --json"})
final class BenchInferCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions global;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "1", description = "Samples per call (default ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "7", description = "Timed rounds (default ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "0.5",
            description = "Length of a timed round in seconds (default ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(names = "--unfused", description = "Separate relu layers instead of dense layers with activation=relu.")
    private boolean unfused;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "3",
            description = "Untimed seconds first, for the JIT to compile the Vector API code (default ${DEFAULT-VALUE}).")
    private double warmup;

    @Option(names = "--json", description = "Print one JSON object to standard output instead of text.")
    private boolean json;

    @Override
    public Integer call() {
        if (batchSize < 1) throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
        BenchGemmCommand.checkTiming(spec, rounds, seconds, warmup);
        PropelCommand root = (PropelCommand) spec.root().userObject();
        try (Propel propel = root.propel()) {
            Model model = propel.build(BenchMlp.spec(unfused), 1);
            ModelSession session = model.inferenceSession();
            Tensor x = Tensor.zeros(batchSize, BenchMlp.INPUTS);
            SplittableRandom random = new SplittableRandom(3);
            for (int i = 0; i < x.size(); i++) x.data()[i] = (float) random.nextDouble();
            BenchRounds.Result r = BenchRounds.measure(() -> session.forward(x), batchSize, warmup, rounds, seconds);
            double latencyMicros = batchSize / r.best() * 1e6;
            if (json) {
                ObjectNode o = Json.object();
                o.put("benchmark", "infer");
                o.put("network", BenchMlp.describe(unfused));
                o.put("batch_size", batchSize);
                o.put("threads", model.kernels().threads());
                o.put("kernels", model.kernels().name());
                o.put("samples_per_second", BenchGemmCommand.round(r.best()));
                o.put("samples_per_second_median", BenchGemmCommand.round(r.median()));
                o.put("latency_us", BenchGemmCommand.round(latencyMicros));
                o.put("latency_us_median", BenchGemmCommand.round(batchSize / r.median() * 1e6));
                root.out.println(Json.write(o));
            } else {
                root.out.printf(Locale.ROOT, "infer %s, batch %d, %s: %.1f us per call, %.0f samples/s "
                                + "(best of %d rounds; median %.0f samples/s)%n",
                        BenchMlp.describe(unfused), batchSize, model.kernels().name(), latencyMicros, r.best(),
                        r.rounds(), r.median());
            }
        }
        return 0;
    }
}
