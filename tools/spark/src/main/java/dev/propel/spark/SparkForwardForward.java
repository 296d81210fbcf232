package dev.propel.spark;

import dev.propel.data.Dataset;
import dev.propel.spi.Parameter;
import dev.propel.spi.PropelException;
import dev.propel.train.TrainingListener;
import dev.propel.train.ff.BlockStepListener;
import dev.propel.train.ff.ForwardForwardConfig;
import dev.propel.train.ff.ForwardForwardGradients;
import dev.propel.train.ff.ForwardForwardModel;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Synchronous data-parallel Forward-Forward training on Spark, as the gradient source of a
 * {@link dev.propel.train.ff.ForwardForwardTrainer}:
 * <pre>{@code new ForwardForwardTrainer(config, new SparkForwardForward(sc)).fit(stack, train, validation)}</pre>
 *
 * <p>The same scheme as {@link SparkTraining}: cached contiguous partitions of the training data; every
 * step the driver broadcasts all weights (the blocks' and the softmax head's) and sends the batch's
 * example indices with the wrong labels or random numbers the trainer drew for them; each partition's
 * task computes its examples' layer-local gradients ({@link FfShardStep}); the partials are summed in
 * the fixed pairwise tree, and the driver's trainer checks, clips and steps each block and the head.
 *
 * <p>Refused: peer normalisation (a running mean over whole batches, which no worker sees) and
 * block-step listeners (the per-row figures stay on the executors).
 */
public final class SparkForwardForward implements ForwardForwardGradients {
    private final JavaSparkContext sc;
    private final int partitions;
    private final StepStats stats = new StepStats();

    /** One partition per core Spark offers ({@code defaultParallelism}). */
    public SparkForwardForward(JavaSparkContext sc) {
        this(sc, sc.defaultParallelism());
    }

    public SparkForwardForward(JavaSparkContext sc, int partitions) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        this.sc = sc;
        this.partitions = partitions;
    }

    /** Time and bytes of the steps run so far (for benchmarks and logs). */
    public StepStats stats() {
        return stats;
    }

    @Override
    public Steps open(ForwardForwardModel model, ForwardForwardConfig config, Dataset train) {
        if (config.peerNormalization() > 0) {
            throw new PropelException("peer normalisation (" + config.peerNormalization() + ") keeps a running mean of every unit's "
                    + "activity over whole batches, which data-parallel workers each see only a part of; train without it on Spark "
                    + "(--peer-normalization 0), or without --spark");
        }
        for (TrainingListener l : config.training().listeners()) {
            if (l instanceof BlockStepListener) {
                throw new PropelException("a block-step listener (" + l.getClass().getSimpleName() + ", e.g. propel trace) needs every "
                        + "row's goodness, which stays on the Spark executors; trace Forward-Forward runs without Spark");
            }
        }
        if (!model.stack().state().isEmpty()) {
            throw new PropelException("the model has layer state " + model.stack().state().keySet() + ", but Forward-Forward on "
                    + "Spark sums only the blocks' layer-local gradients and does not carry layer state between the workers and the "
                    + "driver (FF blocks are normally dense layers and parameter-free activations, which keep none); train this model "
                    + "with Forward-Forward without --spark, or with backprop on Spark (--algorithm backprop), which carries layer state");
        }
        int p = Math.min(partitions, train.size());
        int batch = config.training().effectiveBatchSize(train.size());
        return new Run(Shard.cache(sc, train, p), p, sc.broadcast(ShippedForwardForward.of(model, config.training().seed(), batch)));
    }

    private final class Run implements Steps {
        private final String id = UUID.randomUUID().toString();
        private final JavaRDD<Shard> data;
        private final int partitions;
        private final Broadcast<ShippedForwardForward> job;

        Run(JavaRDD<Shard> data, int partitions, Broadcast<ShippedForwardForward> job) {
            this.data = data;
            this.partitions = partitions;
            this.job = job;
        }

        @Override
        public Losses compute(List<Parameter> parameters, Batch batch) {
            long t0 = System.nanoTime();
            Broadcast<float[]> weights = sc.broadcast(FlatParameters.values(parameters));
            try {
                FfShardStep task = new FfShardStep(id, job, weights, batch);
                long t1 = System.nanoTime();
                ShardGradient total = SparkTraining.sum(data, partitions, task, batch.count(), batch.step());
                int size = FlatParameters.size(parameters);
                float[] sum = total.gradient();
                FlatParameters.setGradients(parameters, Arrays.copyOf(sum, size));
                stats.add(System.nanoTime() - t0, System.nanoTime() - t1, total.computeNanos(), 4L * size);
                return new Losses(sum[size], Arrays.copyOfRange(sum, size + 1, sum.length));
            } finally {
                weights.destroy();
            }
        }

        @Override
        public void close() {
            data.unpersist(false);
            job.destroy();
        }
    }
}
