package dev.propel.spark;

import dev.propel.data.Dataset;
import dev.propel.model.Model;
import dev.propel.spi.Parameter;
import dev.propel.train.BatchGradients;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * Synchronous data-parallel backpropagation on Spark, as the gradient source of a {@link dev.propel.train.Trainer}:
 * <pre>{@code new Trainer(config, new SparkTraining(sc)).fit(model, optimizer, train, test)}</pre>
 *
 * <p>The training examples are cut into contiguous ranges, one cached partition each. Every step the
 * driver broadcasts the current weights and sends the batch's example indices (the trainer's shuffled
 * order, so the batches are exactly those of a single-machine run with the same seed); each partition's
 * task computes the gradient of its examples of the batch ({@link ShardStep}), the partials are summed
 * in a fixed pairwise tree ({@link PairwiseSum}), and the driver's trainer checks, clips and applies
 * them with its optimizer. The result equals a single-machine run up to the rounding of the gradient
 * sum (bitwise with one partition).
 *
 * <p>Layer state (batch-norm running statistics) travels with the weights: each task starts from the
 * driver's state, its layers normalise with the batch statistics of its own part of the batch (as
 * DistributedDataParallel without SyncBatchNorm), and the driver's state becomes the row-weighted mean
 * of the parts' updated states, summed in the same tree ({@link LayerStates}). A model with batch
 * statistics therefore trains on more than one partition like DDP, not number for number like one
 * machine (bitwise with one partition).
 */
public final class SparkTraining implements BatchGradients {
    private final JavaSparkContext sc;
    private final int partitions;
    private final StepStats stats = new StepStats();

    /** One partition per core Spark offers ({@code defaultParallelism}). */
    public SparkTraining(JavaSparkContext sc) {
        this(sc, sc.defaultParallelism());
    }

    public SparkTraining(JavaSparkContext sc, int partitions) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        this.sc = sc;
        this.partitions = partitions;
    }

    /** Time and bytes of the steps run so far (for benchmarks and logs). */
    public StepStats stats() {
        return stats;
    }

    @Override
    public Steps open(Model model, Dataset train) {
        int p = Math.min(partitions, train.size());
        return new Run(model, Shard.cache(sc, train, p), p, sc.broadcast(ShippedSpec.of(model.spec())), train.featureShape().dims());
    }

    /**
     * Runs {@code task} on every partition of {@code data} and sums the partials in the fixed pairwise order;
     * checks that the workers covered the batch's {@code count} examples.
     */
    static ShardGradient sum(JavaRDD<Shard> data, int partitions, ShardTask task, int count, long step) {
        ShardGradient total;
        try {
            total = PairwiseSum.sum(data.mapPartitionsWithIndex(task, true).mapToPair(t -> t), partitions);
        } catch (Exception e) { // also Spark's job failure, a checked exception that Scala throws undeclared
            throw ExecutorFailures.explain(e);
        }
        if (total.rows() != count) {
            throw new IllegalStateException("step " + step + ": the workers computed " + total.rows() + " of the batch's "
                    + count + " examples; the cached training data is incomplete");
        }
        return total;
    }

    /** A step's task on one partition: its part of the batch's gradient, keyed by the partition's index. */
    interface ShardTask extends Function2<Integer, Iterator<Shard>, Iterator<Tuple2<Integer, ShardGradient>>> {
    }

    private final class Run implements Steps {
        private final String id = UUID.randomUUID().toString();
        /** The driver's model, whose layer state each step broadcasts and then replaces by the workers' mean. */
        private final Model model;
        private final JavaRDD<Shard> data;
        private final int partitions;
        private final Broadcast<ShippedSpec> spec;
        private final int[] shape;
        private long step;

        Run(Model model, JavaRDD<Shard> data, int partitions, Broadcast<ShippedSpec> spec, int[] shape) {
            this.model = model;
            this.data = data;
            this.partitions = partitions;
            this.spec = spec;
            this.shape = shape;
        }

        @Override
        public Result compute(List<Parameter> parameters, int[] order, int start, int count) {
            long t0 = System.nanoTime();
            step++;
            Broadcast<ShardStep.Values> weights = sc.broadcast(new ShardStep.Values(FlatParameters.values(parameters),
                    LayerStates.values(model.state())));
            try {
                int[] batch = Arrays.copyOfRange(order, start, start + count);
                ShardStep task = new ShardStep(id, step, spec, weights, batch, shape);
                long t1 = System.nanoTime();
                ShardGradient total = sum(data, partitions, task, count, step);
                FlatParameters.setGradients(parameters, total.gradient());
                if (!model.state().isEmpty()) LayerStates.setRounded(model.state(), total.state());
                long bytes = 4L * total.gradient().length + (total.state() == null ? 0 : 8L * total.state().length);
                stats.add(System.nanoTime() - t0, System.nanoTime() - t1, total.computeNanos(), bytes);
                return new Result((float) (total.lossSum() / count), total.correct());
            } finally {
                weights.destroy();
            }
        }

        @Override
        public void close() {
            data.unpersist(false);
            spec.destroy();
        }
    }
}
