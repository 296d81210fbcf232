package dev.propel.spark;

import dev.propel.Propel;
import dev.propel.data.DataSources;
import dev.propel.data.Dataset;
import dev.propel.format.json.JsonModelFormat;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.tensor.Shape;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code ./propel-spark bench}: the cost of a data-parallel step on this machine. Trains a model (by
 * default the MLP of examples/mlp.json, 784-512-512-10, Adam) on the bundled Fashion-MNIST sample for a
 * fixed number of steps three ways — the plain trainer, Spark {@code local[1]} with one partition and
 * {@code local[2]} with two — after one warm-up run each, {@code --repeat} times each, and prints the
 * medians per step: wall time, examples per second, the workers' job time, the slowest worker's gradient
 * time, and the gradient bytes each worker sends; and the load average, since other processes skew it.
 *
 * <p>A spec with {@code batch_norm} layers (examples/resnet-small.json) runs as it is: Spark training carries
 * their running statistics (each partition normalising with its own part of the batch), so the Spark runs
 * are the same work as the plain one, though not the same numbers.
 *
 * <pre>./propel-spark bench [--steps N] [--batch-size N] [--spec FILE] [--repeat N]</pre>
 */
public final class SparkBench {
    private SparkBench() {
    }

    public static void main(String[] args) throws IOException {
        int steps = 20;
        int batch = 128;
        int repeat = 3;
        Path spec = Path.of("examples/mlp.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--batch-size" -> batch = Integer.parseInt(args[++i]);
                case "--spec" -> spec = Path.of(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --steps N, --batch-size N, --spec FILE, --repeat N");
            }
        }
        ModelSpec modelSpec = JsonModelFormat.readSpec(spec);
        // The sample's images are flat [784]; a convolutional spec takes them as its input shape, e.g. [1, 28, 28].
        Dataset train = DataSources.resolve("sample").train().head(steps * batch).withFeatureShape(Shape.of(modelSpec.input().stream().mapToInt(Integer::intValue).toArray()));
        System.out.printf(Locale.ROOT, "%s, batch %d, %d steps, medians of %d runs, %d cores on this machine, load average %.2f%n", spec,
                batch, steps, repeat, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("run        ms/step  examples/s  job ms  worker ms  gradient bytes/worker");
        try (Propel propel = Propel.create()) {
            time("plain", propel, modelSpec, train, batch, null, steps, repeat);
            for (int cores : new int[]{1, 2}) {
                SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("propel-bench")
                        .config("spark.ui.enabled", "false").getOrCreate();
                try {
                    time("local[" + cores + "]", propel, modelSpec, train, batch,
                            () -> new SparkTraining(JavaSparkContext.fromSparkContext(spark.sparkContext()), cores), steps, repeat);
                } finally {
                    spark.stop();
                }
            }
        }
    }

    private static void time(String name, Propel propel, ModelSpec spec, Dataset train, int batch, Supplier<SparkTraining> spark,
                             int steps, int repeat) {
        double[] ms = new double[repeat];
        double[] job = new double[repeat];
        double[] worker = new double[repeat];
        long bytes = 0;
        for (int round = -1; round < repeat; round++) { // round -1 warms up the JIT (and Spark's executors)
            SparkTraining gradients = spark == null ? null : spark.get();
            Model model = propel.build(spec, 1);
            TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(batch).seed(1).build();
            Trainer trainer = gradients == null ? new Trainer(config) : new Trainer(config, gradients);
            long t0 = System.nanoTime();
            trainer.fit(model, propel.optimizer("adam", Map.of("learning_rate", 0.001)), train, null);
            if (round < 0) continue;
            ms[round] = (System.nanoTime() - t0) / 1e6 / steps;
            if (gradients != null) {
                job[round] = gradients.stats().meanJobMillis();
                worker[round] = gradients.stats().meanWorkerMillis();
                bytes = gradients.stats().gradientBytes();
            }
        }
        double step = median(ms);
        if (spark == null) {
            System.out.printf(Locale.ROOT, "%-9s %8.1f %11.0f %7s %10s %22s%n", name, step, batch * 1000 / step, "-", "-", "-");
        } else {
            System.out.printf(Locale.ROOT, "%-9s %8.1f %11.0f %7.1f %10.1f %,22d%n", name, step, batch * 1000 / step, median(job),
                    median(worker), bytes);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
