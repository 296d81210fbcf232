package dev.propel.spark;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.spi.Parameter;
import dev.propel.spi.PropelException;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;
import dev.propel.train.BatchGradients;
import dev.propel.train.Evaluator;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel training of a model with layer state ({@code batch_norm} after the hidden layer): per-partition batch
 * statistics, the driver's state the row-weighted mean of the partitions' updated states, bitwise the local trainer on
 * one partition, unchanged by a retried task.
 */
class SparkLayerStateTest {
    private static Propel propel;
    /** 192 examples: three full batches of 64, so no partition's part of a batch is too small for batch statistics. */
    private static final Dataset TRAIN = TinyData.blobs(192, 7);
    private static final Dataset TEST = TinyData.blobs(60, 8);
    private static final int BATCH = 64;
    private static final int EPOCHS = 2;

    @BeforeAll
    static void start() {
        propel = Propel.create();
    }

    @AfterAll
    static void stop() {
        propel.close();
    }

    /** A trained model's weights and layer state, flattened in model order. */
    record Trained(Model model, float[] weights, float[] state) {
        float batchesTracked() {
            return model.state().entrySet().stream().filter(e -> e.getKey().endsWith("num_batches_tracked")).findFirst()
                    .orElseThrow().getValue().data()[0];
        }
    }

    /** Two epochs of Adam, batches of 64, seed 3. */
    private static Trained train(SparkTraining gradients) {
        Model model = propel.build(TinyData.batchNormMlp(), 3);
        TrainingConfig config = TrainingConfig.builder().epochs(EPOCHS).batchSize(BATCH).seed(3).build();
        Trainer trainer = gradients == null ? new Trainer(config) : new Trainer(config, gradients);
        trainer.fit(model, propel.optimizer("adam", Map.of("learning_rate", 0.01)), TRAIN, TEST);
        return new Trained(model, FlatParameters.values(model.trainingSession(0).parameters()), LayerStates.values(model.state()));
    }

    private static Trained local;
    private static Trained threeWorkers;

    private static synchronized Trained local() {
        if (local == null) local = train(null);
        return local;
    }

    private static synchronized Trained threeWorkers() {
        if (threeWorkers == null) threeWorkers = train(new SparkTraining(LocalSpark.context(), 3));
        return threeWorkers;
    }

    @Test
    void onePartitionIsBitwiseTheLocalTrainerStateIncluded() {
        Trained spark = train(new SparkTraining(LocalSpark.context(), 1));
        assertArrayEquals(local().weights(), spark.weights());
        assertArrayEquals(local().state(), spark.state());
        assertEquals(6f, spark.batchesTracked());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void severalPartitionsTrainAndCountEveryBatchOnce(int partitions) {
        Trained spark = partitions == 3 ? threeWorkers() : train(new SparkTraining(LocalSpark.context(), partitions));
        // Every worker counts the step; the weighted sum of equal counts rounds back to the count exactly.
        assertEquals(EPOCHS * TRAIN.size() / (float) BATCH, spark.batchesTracked());
        for (float v : spark.state()) assertTrue(Float.isFinite(v));
        float accuracy = Evaluator.evaluate(spark.model(), TEST).accuracy();
        System.out.printf("batch_norm MLP on %d partitions vs one machine after %d epochs (per-partition batch statistics): "
                        + "weights differ by %.3g, state by %.3g (relative L2), test accuracy %.3f (one machine %.3f)%n",
                partitions, EPOCHS, relativeL2(local().weights(), spark.weights()), relativeL2(local().state(), spark.state()), accuracy,
                Evaluator.evaluate(local().model(), TEST).accuracy());
        assertTrue(accuracy >= 0.8f, "test accuracy " + accuracy);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheRunIsBitwiseUnchangedStateIncluded() {
        Trained clean = threeWorkers();
        TaskFaults.failOnce(1, 2);
        Trained retried = train(new SparkTraining(LocalSpark.context(), 3));
        assertFalse(TaskFaults.pending(), "the injected failure should have happened");
        assertArrayEquals(clean.weights(), retried.weights());
        assertArrayEquals(clean.state(), retried.state());
    }

    /**
     * One step on {@code partitions} partitions against each partition's part of the batch computed here on a
     * model of its own: the state is the row-weighted mean of the parts' updated states, the gradient the
     * row-weighted sum of the parts' gradients (each part normalised with its own batch statistics).
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void aStepTakesTheRowWeightedMeanOfThePartitionsStates(int partitions) {
        int[] order = new int[TRAIN.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(17);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int start = BATCH;
        int[] batch = Arrays.copyOfRange(order, start, start + BATCH);

        Model driver = propel.build(TinyData.batchNormMlp(), 3);
        LayerStates.set(driver.state(), EARLIER_STATE);
        List<Parameter> params = driver.trainingSession(0).parameters();
        BatchGradients.Result result;
        try (BatchGradients.Steps steps = new SparkTraining(LocalSpark.context(), partitions).open(driver, TRAIN)) {
            result = steps.compute(params, order, start, BATCH);
        }
        float[] sparkState = LayerStates.values(driver.state());
        float[] sparkGradient = FlatParameters.gradients(params);

        double[] state = new double[sparkState.length];
        double[] gradient = new double[sparkGradient.length];
        double loss = 0;
        int n = TRAIN.size();
        for (int p = 0; p < partitions; p++) {
            int first = (int) ((long) n * p / partitions);
            int end = (int) ((long) n * (p + 1) / partitions);
            Shard.BatchRows part = Shard.of(TRAIN, first, end - first).rowsOf(batch);
            Part computed = part(part);
            double weight = (double) part.rows() / BATCH;
            for (int i = 0; i < state.length; i++) state[i] += weight * computed.state()[i];
            for (int i = 0; i < gradient.length; i++) gradient[i] += weight * computed.gradient()[i];
            loss += weight * computed.loss();
        }
        Part whole = part(new Shard.BatchRows(BATCH, null, gather(batch, TRAIN.features().data(), TinyData.FEATURES),
                gather(batch, TRAIN.targets().data(), TinyData.CLASSES), null));

        double stateDiff = SparkTrainingTest.maxRelativeDifference(state, sparkState);
        double gradientDiff = SparkTrainingTest.maxRelativeDifference(gradient, sparkGradient);
        // running_mean: the row-weighted mean of the parts' means is the whole batch's mean; running_var is not.
        int c = 16;
        double meanVsWhole = SparkTrainingTest.maxRelativeDifference(Arrays.copyOfRange(whole.state(), 0, c),
                Arrays.copyOfRange(sparkState, 0, c));
        double varVsWhole = SparkTrainingTest.maxRelativeDifference(Arrays.copyOfRange(whole.state(), c, 2 * c),
                Arrays.copyOfRange(sparkState, c, 2 * c));
        System.out.printf("one step on %d partitions: state vs the row-weighted mean of the parts' states %.3g, gradient vs the "
                        + "parts' weighted sum %.3g; vs one machine's whole batch: running_mean %.3g, running_var %.3g%n", partitions,
                stateDiff, gradientDiff, meanVsWhole, varVsWhole);
        assertTrue(stateDiff <= 1e-6, "state differs by " + stateDiff);
        assertTrue(gradientDiff <= 1e-5, "gradient differs by " + gradientDiff);
        assertEquals(loss, result.loss(), 1e-6 * Math.abs(loss));
        assertEquals(8f, sparkState[2 * c], "the batch counter counts the step once, from the driver's 7");
        assertTrue(meanVsWhole <= 1e-5, "running_mean vs the whole batch's " + meanVsWhole);
        assertTrue(varVsWhole > 1e-4, "running_var should come from the parts' own variances, not the whole batch's: " + varVsWhole);
    }

    /** The state a step starts from: running_mean 0.1·i, running_var 1 + 0.05·i (i the channel), 7 batches tracked. */
    private static final float[] EARLIER_STATE = earlierState();

    private static float[] earlierState() {
        float[] state = new float[2 * 16 + 1];
        for (int i = 0; i < 16; i++) {
            state[i] = 0.1f * i;
            state[16 + i] = 1 + 0.05f * i;
        }
        state[32] = 7;
        return state;
    }

    /** A partition's part of the batch on a model of its own (the driver's weights and state): state, gradient, mean loss. */
    private record Part(float[] state, float[] gradient, float loss) {
    }

    private static Part part(Shard.BatchRows part) {
        Model m = propel.build(TinyData.batchNormMlp(), 3);
        LayerStates.set(m.state(), EARLIER_STATE);
        ModelSession s = m.trainingSession(0);
        int rows = part.rows();
        Tensor out = s.forward(Tensor.wrap(part.features(), Shape.of(rows, TinyData.FEATURES)));
        Tensor g = Tensor.zeros(rows, TinyData.CLASSES);
        float loss = m.loss().compute(out, Tensor.wrap(part.targets(), Shape.of(rows, TinyData.CLASSES)), g, m.kernels());
        s.zeroGradients();
        s.backward(g);
        return new Part(LayerStates.values(m.state()), FlatParameters.gradients(s.parameters()), loss);
    }

    private static float[] gather(int[] rows, float[] data, int width) {
        float[] out = new float[rows.length * width];
        for (int r = 0; r < rows.length; r++) System.arraycopy(data, rows[r] * width, out, r * width, width);
        return out;
    }

    /** {@code |a − b| / |a|} (Euclidean norms). */
    private static double relativeL2(float[] a, float[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (double) (a[i] - b[i]) * (a[i] - b[i]);
            norm += (double) a[i] * a[i];
        }
        return Math.sqrt(diff / norm);
    }

    @Test
    void aPartitionWithTooFewRowsForBatchStatisticsSaysSo() {
        // 5 examples on 3 partitions: the first holds one, and batch_norm needs two values per channel.
        Dataset tiny = TinyData.blobs(5, 9);
        Model model = propel.build(TinyData.batchNormMlp(), 3);
        TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(5).seed(3).build();
        Trainer trainer = new Trainer(config, new SparkTraining(LocalSpark.context(), 3));
        var e = assertThrows(PropelException.class,
                () -> trainer.fit(model, propel.optimizer("adam", Map.of("learning_rate", 0.01)), tiny, null));
        assertTrue(e.getMessage().contains("this partition holds 1 of the batch's 5 examples"), e.getMessage());
        assertTrue(e.getMessage().contains("more than one value per channel"), e.getMessage());
        assertTrue(e.getMessage().contains("larger batch size or fewer partitions"), e.getMessage());
    }
}
