package dev.propel.spark;

import dev.propel.spi.Parameter;
import dev.propel.train.ff.ForwardForwardGradients;
import dev.propel.train.ff.LayerLocalGradients;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.io.Serial;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * One worker's part of a Forward-Forward step, run as the task of one partition: the batch's examples
 * in this partition, each with the wrong label or the random number the driver drew for its position
 * in the batch, through {@link LayerLocalGradients} at the broadcast weights. The partial carries the
 * gradients (all parameters, flattened in {@link LayerLocalGradients#parameters()} order) followed by
 * the head's and every block's partial loss, so the pairwise sum adds the losses with the gradients.
 *
 * <p>As {@link ShardStep}: the result depends only on the broadcast weights, the batch and its random
 * numbers (fixed per global step by the driver) and the partition's examples, so a retried task
 * computes the same bits.
 */
final class FfShardStep implements SparkTraining.ShardTask {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String run;
    private final Broadcast<ShippedForwardForward> job;
    private final Broadcast<float[]> weights;
    private final int[] batch;
    private final long step;
    private final int firstTrained;
    private final int lastTrained;
    private final int[] negatives;
    private final double[] draws;

    /** The task of {@code b}'s batch; it ships the batch's example indices and random numbers, not the whole order. */
    FfShardStep(String run, Broadcast<ShippedForwardForward> job, Broadcast<float[]> weights, ForwardForwardGradients.Batch b) {
        this.run = run;
        this.job = job;
        this.weights = weights;
        this.batch = Arrays.copyOfRange(b.order(), b.start(), b.start() + b.count());
        this.step = b.step();
        this.firstTrained = b.firstTrained();
        this.lastTrained = b.lastTrained();
        this.negatives = b.negatives() == null ? null : Arrays.copyOf(b.negatives(), b.count());
        this.draws = b.draws() == null ? null : Arrays.copyOf(b.draws(), b.count());
    }

    @Override
    public Iterator<Tuple2<Integer, ShardGradient>> call(Integer partition, Iterator<Shard> shards) {
        ShardGradient result = ShardGradient.empty();
        while (shards.hasNext()) result = result.plus(compute(shards.next()));
        TaskFaults.check(partition, step);
        return List.of(new Tuple2<>(partition, result)).iterator();
    }

    private ShardGradient compute(Shard shard) {
        Shard.BatchRows part = shard.rowsOf(batch);
        if (part.rows() == 0) return ShardGradient.empty();
        LayerLocalGradients w = Workers.borrow(run, () -> job.value().worker(ExecutorPropel.get()));
        try {
            return gradient(w, weights.value(), part,
                    new ForwardForwardGradients.Batch(batch, 0, batch.length, step, firstTrained, lastTrained, negatives, draws));
        } finally {
            Workers.giveBack(run, w);
        }
    }

    /**
     * The partial of {@code part} of {@code batch} at {@code weights} ({@code part.positions()} index the batch's
     * negatives or draws): the computation of a worker, without Spark.
     */
    static ShardGradient gradient(LayerLocalGradients w, float[] weights, Shard.BatchRows part, ForwardForwardGradients.Batch batch) {
        long t0 = System.nanoTime();
        int rows = part.rows();
        int[] negatives = batch.negatives() == null ? null : new int[rows];
        double[] draws = batch.draws() == null ? null : new double[rows];
        for (int r = 0; r < rows; r++) {
            int position = part.positions()[r];
            if (negatives != null) negatives[r] = batch.negatives()[position];
            if (draws != null) draws[r] = batch.draws()[position];
        }
        List<Parameter> params = w.parameters();
        FlatParameters.setValues(params, weights);
        for (Parameter p : params) Arrays.fill(p.gradient().data(), 0f); // blocks this batch does not train send zeros
        ForwardForwardGradients.Losses losses = w.compute(part.features(), part.labels(), rows, batch.count(), negatives, draws,
                batch.firstTrained(), batch.lastTrained(), batch.step());
        float[] gradient = FlatParameters.gradients(params);
        int size = gradient.length;
        gradient = Arrays.copyOf(gradient, size + 1 + losses.blocks().length);
        gradient[size] = losses.head();
        System.arraycopy(losses.blocks(), 0, gradient, size + 1, losses.blocks().length);
        return new ShardGradient(gradient, 0, 0, rows, System.nanoTime() - t0);
    }
}
