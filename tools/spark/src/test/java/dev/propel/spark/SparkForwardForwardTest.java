package dev.propel.spark;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.spi.PropelException;
import dev.propel.train.TrainingConfig;
import dev.propel.train.ff.ForwardForwardConfig;
import dev.propel.train.ff.ForwardForwardResult;
import dev.propel.train.ff.ForwardForwardTrainer;
import dev.propel.train.ff.NegativeLabels;
import dev.propel.train.ff.PredictionRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forward-Forward on Spark against the single-machine trainer: same seed and batches, one epoch. */
class SparkForwardForwardTest {
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

    /** Two blocks of 16 (dense, relu) on the 12 blob features, whose first 3 carry the label. */
    static ModelSpec stack() {
        return ModelSpec.builder().input(TinyData.FEATURES)
                .layer("dense", Map.of("units", 16)).layer("relu")
                .layer("dense", Map.of("units", 16)).layer("relu")
                .loss("cross_entropy")
                .build();
    }

    /**
     * All weights (blocks, then the softmax head when there is one) after one epoch, batches of 64 (the
     * last one 8), seed 3: with random negatives Adam at 0.01; with hard negatives (and the softmax head)
     * SGD with momentum (0.05, 0.9), as Hinton's recipe — Adam divides each gradient by its own running
     * size, which turns the rounding of a near-zero, nearly cancelling gradient component into a
     * visible step (measured: 1.15e-5 relative with Adam here, see docs/spark.md).
     */
    private static float[] train(SparkForwardForward gradients, NegativeLabels negatives, float peerNormalization) {
        Model model = propel.build(stack(), 3);
        TrainingConfig training = TrainingConfig.builder().epochs(1).batchSize(64).seed(3).build();
        Map<String, Object> optimizer = negatives == NegativeLabels.HARD
                ? Map.of("learning_rate", 0.05, "momentum", 0.9) : Map.of("learning_rate", 0.01);
        String type = negatives == NegativeLabels.HARD ? "momentum" : "adam";
        ForwardForwardConfig config = ForwardForwardConfig.builder(training, () -> propel.optimizer(type, optimizer))
                .negatives(negatives)
                .rule(negatives == NegativeLabels.HARD ? PredictionRule.SOFTMAX : PredictionRule.GOODNESS)
                .peerNormalization(peerNormalization)
                .build();
        ForwardForwardResult r = new ForwardForwardTrainer(config, gradients).fit(model, TRAIN, TEST);
        assertTrue(Float.isFinite(r.history().last().trainLoss()));
        LinkedHashMap<String, float[]> tensors = new LinkedHashMap<>();
        r.model().parameters().forEach((name, t) -> tensors.put(name, t.data().clone()));
        LAST.put(gradients == null ? "single" : "spark", tensors);
        int size = tensors.values().stream().mapToInt(a -> a.length).sum();
        float[] all = new float[size];
        int at = 0;
        for (float[] t : tensors.values()) {
            System.arraycopy(t, 0, all, at, t.length);
            at += t.length;
        }
        return all;
    }

    private static final Map<String, Map<String, float[]>> LAST = new java.util.concurrent.ConcurrentHashMap<>();

    /** The largest over tensors of max|a − b| / max|a| (the normwise relative difference of each tensor). */
    static double maxNormwise(Map<String, float[]> a, Map<String, float[]> b) {
        double worst = 0;
        for (Map.Entry<String, float[]> e : a.entrySet()) {
            float[] x = e.getValue();
            float[] y = b.get(e.getKey());
            double max = 0;
            double diff = 0;
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i]));
                diff = Math.max(diff, Math.abs(x[i] - y[i]));
            }
            worst = Math.max(worst, diff / max);
        }
        return worst;
    }

    /** Per tensor: the largest difference relative to the tensor's largest value (normwise), and element-wise. */
    static String perTensor(Map<String, float[]> a, Map<String, float[]> b) {
        StringBuilder sb = new StringBuilder();
        a.forEach((name, x) -> {
            float[] y = b.get(name);
            double max = 0;
            double diff = 0;
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i]));
                diff = Math.max(diff, Math.abs(x[i] - y[i]));
            }
            sb.append(String.format(java.util.Locale.ROOT, "  %s: normwise %.3g, element-wise %.3g%n", name, diff / max,
                    SparkTrainingTest.maxRelativeDifference(x, y)));
        });
        return sb.toString();
    }

    private static float[] single;
    private static float[] threeWorkers;
    private static StepStats threeWorkerStats;

    private static final Map<String, Map<String, float[]>> HARD = new java.util.concurrent.ConcurrentHashMap<>();

    private static synchronized float[] single() {
        if (single == null) {
            single = train(null, NegativeLabels.HARD, 0);
            HARD.put("single", LAST.get("single"));
        }
        return single;
    }

    private static synchronized float[] threeWorkers() {
        if (threeWorkers == null) {
            SparkForwardForward spark = new SparkForwardForward(LocalSpark.context(), 3);
            threeWorkers = train(spark, NegativeLabels.HARD, 0);
            HARD.put("spark", LAST.get("spark"));
            threeWorkerStats = spark.stats();
        }
        return threeWorkers;
    }

    @Test
    void threeWorkersWithHardNegativesMatchASingleMachineRunAfterOneEpoch() {
        double diff = SparkTrainingTest.maxRelativeDifference(single(), threeWorkers());
        System.out.printf("Forward-Forward, hard negatives: three workers vs single machine after one epoch: max relative difference %.3g%n%s",
                diff, perTensor(HARD.get("single"), HARD.get("spark")));
        // Normwise: element-wise, the weights of smallest magnitude differ by up to 2.9e-5 relative (docs/spark.md).
        double normwise = maxNormwise(HARD.get("single"), HARD.get("spark"));
        assertTrue(normwise <= 1e-5, "max normwise relative difference " + normwise);
        assertEquals(4, threeWorkerStats.steps());
        // 12·16 + 16 + 16·16 + 16 weights in the blocks, 16·3 + 3 in the head (it reads block 1), float32
        assertEquals(4L * (12 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3), threeWorkerStats.gradientBytes());
    }

    @Test
    void twoWorkersWithRandomNegativesMatchASingleMachineRunAfterOneEpoch() {
        float[] local = train(null, NegativeLabels.RANDOM, 0);
        float[] spark = train(new SparkForwardForward(LocalSpark.context(), 2), NegativeLabels.RANDOM, 0);
        double diff = SparkTrainingTest.maxRelativeDifference(local, spark);
        System.out.printf("Forward-Forward, random negatives: two workers vs single machine after one epoch: max relative difference %.3g%n%s",
                diff, perTensor(LAST.get("single"), LAST.get("spark")));
        assertTrue(diff <= 1e-5, "max relative difference " + diff);
    }

    @Test
    void onePartitionIsBitwiseTheSingleMachineRun() {
        assertArrayEquals(single(), train(new SparkForwardForward(LocalSpark.context(), 1), NegativeLabels.HARD, 0));
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheRunIsBitwiseUnchanged() {
        float[] clean = threeWorkers();
        TaskFaults.failOnce(2, 2);
        float[] retried = train(new SparkForwardForward(LocalSpark.context(), 3), NegativeLabels.HARD, 0);
        assertFalse(TaskFaults.pending(), "the injected failure should have happened");
        assertArrayEquals(clean, retried);
    }

    @Test
    void aModelWithLayerStateIsRefusedWithTheReason() {
        try (Propel withState = Propel.builder().plugin(new CountingLayerPlugin()).build()) {
            Model model = withState.build(ModelSpec.builder().input(TinyData.FEATURES)
                    .layer("dense", Map.of("units", 16)).layer(CountingLayerPlugin.TYPE).layer("relu")
                    .loss("cross_entropy").build(), 3);
            TrainingConfig training = TrainingConfig.builder().epochs(1).batchSize(64).seed(3).build();
            ForwardForwardConfig config = ForwardForwardConfig.builder(training,
                    () -> withState.optimizer("adam", Map.of("learning_rate", 0.01))).build();
            var e = assertThrows(PropelException.class, () -> new ForwardForwardTrainer(config,
                    new SparkForwardForward(LocalSpark.context(), 2)).fit(model, TRAIN, TEST));
            assertTrue(e.getMessage().contains("layer state [test_counting_identity_1.passes]"), e.getMessage());
            assertTrue(e.getMessage().contains("without --spark") && e.getMessage().contains("--algorithm backprop"), e.getMessage());
        }
    }

    @Test
    void peerNormalisationIsRefusedWithTheReason() {
        var e = assertThrows(PropelException.class,
                () -> train(new SparkForwardForward(LocalSpark.context(), 2), NegativeLabels.RANDOM, 0.03f));
        assertTrue(e.getMessage().contains("peer normalisation (0.03)") && e.getMessage().contains("--peer-normalization 0"),
                e.getMessage());
    }
}
