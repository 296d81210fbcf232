package dev.propel.spark;

import dev.propel.Propel;
import dev.propel.data.DataSources;
import dev.propel.data.Dataset;
import dev.propel.format.json.JsonModelFormat;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./propel-spark bench}: the cost of a data-parallel step on this machine. Trains the MLP of
 * examples/mlp.json (784-512-512-10, Adam) on the bundled Fashion-MNIST sample for a fixed number of
 * steps three ways — the plain trainer, Spark {@code local[1]} with one partition and {@code local[2]}
 * with two — after one warm-up run each, and prints per step: wall time, examples per second, the
 * workers' job time, the slowest worker's gradient time, and the gradient bytes each worker sends.
 *
 * <pre>./propel-spark bench [--steps N] [--batch-size N] [--spec FILE]</pre>
 */
public final class SparkBench {
    private SparkBench() {
    }

    public static void main(String[] args) throws IOException {
        int steps = 20;
        int batch = 128;
        Path spec = Path.of("examples/mlp.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--batch-size" -> batch = Integer.parseInt(args[++i]);
                case "--spec" -> spec = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --steps N, --batch-size N, --spec FILE");
            }
        }
        ModelSpec modelSpec = JsonModelFormat.readSpec(spec);
        Dataset train = DataSources.resolve("sample").train().head(steps * batch);
        System.out.printf(Locale.ROOT, "%s, batch %d, %d steps, %d cores on this machine%n", spec, batch, steps,
                Runtime.getRuntime().availableProcessors());
        System.out.println("run        ms/step  examples/s  job ms  worker ms  gradient bytes/worker");
        try (Propel propel = Propel.create()) {
            time("plain", propel, modelSpec, train, batch, null, steps);
            for (int cores : new int[]{1, 2}) {
                SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("propel-bench")
                        .config("spark.ui.enabled", "false").getOrCreate();
                try {
                    time("local[" + cores + "]", propel, modelSpec, train, batch,
                            () -> new SparkTraining(JavaSparkContext.fromSparkContext(spark.sparkContext()), cores), steps);
                } finally {
                    spark.stop();
                }
            }
        }
    }

    private static void time(String name, Propel propel, ModelSpec spec, Dataset train, int batch,
                             java.util.function.Supplier<SparkTraining> spark, int steps) {
        SparkTraining gradients = null;
        long elapsed = 0;
        for (int round = 0; round < 2; round++) { // round 0 warms up the JIT (and Spark's executors)
            gradients = spark == null ? null : spark.get();
            Model model = propel.build(spec, 1);
            TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(batch).seed(1).build();
            Trainer trainer = gradients == null ? new Trainer(config) : new Trainer(config, gradients);
            long t0 = System.nanoTime();
            trainer.fit(model, propel.optimizer("adam", Map.of("learning_rate", 0.001)), train, null);
            elapsed = System.nanoTime() - t0;
        }
        double ms = elapsed / 1e6 / steps;
        if (gradients == null) {
            System.out.printf(Locale.ROOT, "%-9s %8.1f %11.0f %7s %10s %22s%n", name, ms, batch * 1000 / ms, "-", "-", "-");
        } else {
            StepStats s = gradients.stats();
            System.out.printf(Locale.ROOT, "%-9s %8.1f %11.0f %7.1f %10.1f %,22d%n", name, ms, batch * 1000 / ms, s.meanJobMillis(),
                    s.meanWorkerMillis(), s.gradientBytes());
        }
    }
}
