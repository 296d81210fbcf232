package dev.propel.spark;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.Model;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkTrainingTest {
    private static Propel propel;
    private static final Dataset TRAIN = TinyData.blobs(200, 7);
    private static final Dataset TEST = TinyData.blobs(60, 8);

    @BeforeAll
    static void start() {
        propel = Propel.create();
    }

    @AfterAll
    static void stop() {
        propel.close();
    }

    /** Weights after one epoch of Adam, batches of 64 (the last one 8), seed 3. */
    private static float[] train(SparkTraining gradients) {
        Model model = propel.build(TinyData.mlp(), 3);
        TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(64).seed(3).build();
        Trainer trainer = gradients == null ? new Trainer(config) : new Trainer(config, gradients);
        TrainingHistory h = trainer.fit(model, propel.optimizer("adam", Map.of("learning_rate", 0.01)), TRAIN, TEST);
        assertTrue(Float.isFinite(h.last().trainLoss()));
        return FlatParameters.values(model.trainingSession(0).parameters());
    }

    static double maxRelativeDifference(float[] expected, float[] actual) {
        return maxRelativeDifference(toDouble(expected), actual);
    }

    /** The largest difference relative to the expected value (or to a thousandth of the largest, for values near zero). */
    static double maxRelativeDifference(double[] expected, float[] actual) {
        double worst = 0;
        double scale = 0;
        for (double v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / Math.max(Math.abs(expected[i]), 1e-3 * scale));
        }
        return worst;
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    private static float[] single;
    private static float[] threeWorkers;
    private static StepStats threeWorkerStats;

    private static synchronized float[] single() {
        if (single == null) single = train(null);
        return single;
    }

    private static synchronized float[] threeWorkers() {
        if (threeWorkers == null) {
            SparkTraining spark = new SparkTraining(LocalSpark.context(), 3);
            threeWorkers = train(spark);
            threeWorkerStats = spark.stats();
        }
        return threeWorkers;
    }

    @Test
    void threeWorkersMatchASingleMachineRunAfterOneEpoch() {
        double diff = maxRelativeDifference(single(), threeWorkers());
        System.out.printf("three workers vs single machine after one epoch: max relative difference %.3g%n", diff);
        assertTrue(diff <= 1e-5, "max relative difference " + diff);
        assertEquals(4, threeWorkerStats.steps());
        assertEquals(4L * FlatParameters.size(propel.build(TinyData.mlp(), 3).trainingSession(0).parameters()),
                threeWorkerStats.gradientBytes());
    }

    @Test
    void onePartitionIsBitwiseTheSingleMachineRun() {
        assertArrayEquals(single(), train(new SparkTraining(LocalSpark.context(), 1)));
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheRunIsBitwiseUnchanged() {
        float[] clean = threeWorkers();
        TaskFaults.failOnce(1, 3);
        float[] retried = train(new SparkTraining(LocalSpark.context(), 3));
        assertFalse(TaskFaults.pending(), "the injected failure should have happened");
        assertArrayEquals(clean, retried);
    }

    @Test
    void partitionsMustBePositive() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SparkTraining(LocalSpark.context(), 0));
        assertTrue(e.getMessage().contains("partitions must be >= 1"));
    }
}
