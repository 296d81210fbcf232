package dev.propel.spark;

import dev.propel.kernel.Kernels;
import dev.propel.model.Model;
import dev.propel.spi.PropelException;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.io.Serial;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/**
 * One worker's part of a training step, run as the task of one partition: the batch's examples that
 * live in this partition, forward, loss, backward at the broadcast weights, and the parameter gradients
 * weighted by the part's share of the batch ({@code rows / batch}, so the partials add up to the
 * gradient of the batch-mean loss).
 *
 * <p>Layers with batch statistics (batch_norm) normalise with the statistics of this part of the batch,
 * as each replica of PyTorch's DistributedDataParallel does without SyncBatchNorm; the part's updated
 * layer state goes back weighted by the same share, so the driver's state becomes the row-weighted mean
 * of the parts' states ({@link LayerStates}).
 *
 * <p>The result depends only on the broadcast weights and state, the batch and the partition's examples
 * — the worker's model is overwritten with the weights and state and its gradients zeroed first — so a
 * retried task computes the same bits and a step survives task failures unchanged.
 */
final class ShardStep implements SparkTraining.ShardTask {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String run;
    private final long step;
    private final Broadcast<ShippedSpec> spec;
    private final Broadcast<Values> weights;
    private final int[] batch;
    private final int[] shape;

    /** What the driver broadcasts each step: all parameters' values and all layer state, each flattened in model order. */
    record Values(float[] parameters, float[] state) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    ShardStep(String run, long step, Broadcast<ShippedSpec> spec, Broadcast<Values> weights, int[] batch, int[] shape) {
        this.run = run;
        this.step = step;
        this.spec = spec;
        this.weights = weights;
        this.batch = batch;
        this.shape = shape;
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
        Workers.Worker w = Workers.borrow(run, () -> Workers.create(ExecutorPropel.get(), spec.value()));
        try {
            Values v = weights.value();
            return gradient(w, v.parameters(), v.state(), part.features(), part.targets(), part.labels(), part.rows(), batch.length,
                    shape);
        } catch (PropelException e) {
            if (w.model().state().isEmpty() || part.rows() == batch.length) throw e;
            throw new PropelException("this partition holds " + part.rows() + " of the batch's " + batch.length + " examples, and "
                    + "layers with batch statistics normalise each partition's part of the batch on its own (as DistributedDataParallel "
                    + "without SyncBatchNorm): " + e.getMessage() + ". Train with a larger batch size or fewer partitions", e);
        } finally {
            Workers.giveBack(run, w);
        }
    }

    /**
     * The gradient of {@code rows} examples ({@code x}, targets {@code t}, labels or null) at {@code weights}
     * and layer state {@code state}, and the updated state, both weighted by {@code rows / batchSize}: the
     * computation of a worker, without Spark.
     */
    static ShardGradient gradient(Workers.Worker w, float[] weights, float[] state, float[] x, float[] t, int[] labels, int rows,
                                  int batchSize, int[] shape) {
        long t0 = System.nanoTime();
        Model model = w.model();
        Kernels k = model.kernels();
        int targets = t.length / rows;
        FlatParameters.setValues(w.parameters(), weights);
        LayerStates.set(model.state(), state);
        Tensor out = w.session().forward(Tensor.wrap(x, Shape.of(shape).withBatch(rows)));
        Tensor g = Tensor.zeros(rows, targets);
        float loss = model.loss().compute(out, Tensor.wrap(t, Shape.of(rows, targets)), g, k);
        long correct = 0;
        if (labels != null) {
            int[] predicted = new int[rows];
            k.argmaxRows(out.data(), rows, out.rowSize(), predicted);
            for (int i = 0; i < rows; i++) if (predicted[i] == labels[i]) correct++;
        }
        w.session().zeroGradients();
        w.session().backward(g);
        float[] gradient = FlatParameters.gradients(w.parameters());
        // This part's share of the batch mean; exact (no rounding) when it is a power of two, e.g. half.
        if (rows != batchSize) k.scale((float) rows / batchSize, gradient, gradient, gradient.length);
        double[] updated = model.state().isEmpty() ? null : LayerStates.weighted(model.state(), (double) rows / batchSize);
        return new ShardGradient(gradient, (double) loss * rows, correct, rows, System.nanoTime() - t0, updated);
    }
}
