package dev.propel.standard.train;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.kernel.VectorKernels;
import dev.propel.model.ComponentSpec;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Tensor;
import dev.propel.train.BatchResult;
import dev.propel.train.EarlyStopping;
import dev.propel.train.GradientDescent;
import dev.propel.train.LearningRateSchedule;
import dev.propel.train.ScheduleUnit;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingDivergedException;
import dev.propel.train.TrainingHistory;
import dev.propel.train.TrainingListener;
import dev.propel.train.TrainingRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backprop trainer with real layers and the Vector API kernels: determinism, modes, guards, resume. */
class TrainerTest {
    private static final Propel ONE_THREAD = Propel.builder().kernels(new VectorKernels(1)).build();
    private static final Propel TWO_THREADS = Propel.builder().kernels(new VectorKernels(2)).build();

    @AfterAll
    static void close() {
        ONE_THREAD.close();
        TWO_THREADS.close();
    }

    /** Ten noisy class prototypes in {@code dims} dimensions: learnable, not trivially separable. */
    static Dataset prototypes(int n, int dims, long seed) {
        SplittableRandom protoRng = new SplittableRandom(99);
        float[][] proto = new float[10][dims];
        for (float[] p : proto) for (int j = 0; j < dims; j++) p[j] = (float) protoRng.nextGaussian();
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(n, dims);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
            for (int j = 0; j < dims; j++) x.data()[i * dims + j] = proto[labels[i]][j] + (float) rng.nextGaussian();
        }
        return Dataset.classification("prototypes", x, labels, 10);
    }

    static Dataset randomLabels(Dataset d) {
        SplittableRandom rng = new SplittableRandom(d.size());
        int[] labels = new int[d.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = rng.nextInt(10);
        return Dataset.classification(d.name() + "/random", d.features(), labels, 10);
    }

    static ModelSpec mlp(int dims, int hidden, double dropout) {
        return ModelSpec.builder().input(dims)
                .layer("dense", Map.of("units", hidden)).layer("relu").layer("dropout", Map.of("rate", dropout))
                .layer("dense", Map.of("units", 10))
                .loss("cross_entropy").build();
    }

    private static Map<String, float[]> train(Propel propel, TrainingConfig config, Dataset data, int hidden) {
        Model model = propel.build(mlp(data.featureShape().size(), hidden, 0.2), 5);
        Optimizer adam = propel.optimizer("adam", Map.of("learning_rate", 0.003));
        new Trainer(config).fit(model, adam, data, null);
        return weights(model);
    }

    private static Map<String, float[]> weights(Model model) {
        Map<String, float[]> w = new LinkedHashMap<>();
        model.parameters().forEach((k, v) -> w.put(k, v.toArray()));
        return w;
    }

    private static void assertBitwiseEqual(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k + " differs");
    }

    @Test
    void sameSeedGivesBitwiseSameWeights() {
        Dataset data = prototypes(300, 40, 1);
        TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(32).seed(11).build();
        assertBitwiseEqual(train(ONE_THREAD, config, data, 64), train(ONE_THREAD, config, data, 64));
        Map<String, float[]> other = train(ONE_THREAD, TrainingConfig.builder().epochs(3).batchSize(32).seed(12).build(), data, 64);
        assertFalse(java.util.Arrays.equals(other.get("dense_0.weight"), train(ONE_THREAD, config, data, 64).get("dense_0.weight")),
                "another seed must shuffle and drop out differently");
    }

    @Test
    void threadCountDoesNotChangeTheWeights() {
        // Large enough (batch 128 · 300 inputs · 256 units ≈ 9.8M multiply-adds) for the GEMMs to split over threads.
        Dataset data = prototypes(512, 300, 2);
        TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(128).seed(3).build();
        assertBitwiseEqual(train(ONE_THREAD, config, data, 256), train(TWO_THREADS, config, data, 256));
    }

    @Test
    void resumingFromAnInitialEpochContinuesExactly() {
        Dataset data = prototypes(200, 20, 3);
        Model straight = ONE_THREAD.build(mlp(20, 32, 0.3), 8);
        Optimizer o1 = ONE_THREAD.optimizer("adam", Map.of());
        new Trainer(TrainingConfig.builder().epochs(3).batchSize(16).seed(4).build()).fit(straight, o1, data, null);

        Model resumed = ONE_THREAD.build(mlp(20, 32, 0.3), 8);
        Optimizer o2 = ONE_THREAD.optimizer("adam", Map.of());
        new Trainer(TrainingConfig.builder().epochs(2).batchSize(16).seed(4).build()).fit(resumed, o2, data, null);
        new Trainer(TrainingConfig.builder().epochs(3).initialEpoch(2).batchSize(16).seed(4).build()).fit(resumed, o2, data, null);

        assertBitwiseEqual(weights(straight), weights(resumed));
        assertEquals(o1.stepCount(), o2.stepCount());
    }

    /** A listener may stop the run after any batch: no further update happens, and the epoch's figures cover the batches run. */
    @Test
    void aStopRequestedAfterABatchEndsTheRunThere() {
        Dataset data = prototypes(100, 8, 5);
        Model model = ONE_THREAD.build(mlp(8, 8, 0), 1);
        Optimizer sgd = ONE_THREAD.optimizer("sgd", Map.of("learning_rate", 0.01));
        List<Float> losses = new ArrayList<>();
        TrainingListener stopAfterThree = new TrainingListener() {
            @Override
            public void onBatchEnd(TrainingRun run, BatchResult batch) {
                losses.add(batch.loss());
                if (losses.size() == 3) run.requestStop("three batches");
            }
        };
        TrainingHistory h = new Trainer(TrainingConfig.builder().epochs(4).batchSize(10).listener(stopAfterThree).build())
                .fit(model, sgd, data, null);
        assertEquals(3, sgd.stepCount());
        assertEquals("three batches", h.stopReason());
        assertEquals(1, h.epochs().size());
        assertEquals(30, h.epochs().getFirst().samples());
        assertEquals((losses.get(0) + losses.get(1) + losses.get(2)) / 3, h.epochs().getFirst().trainLoss(), 1e-6f);
    }

    /**
     * A trainer's {@link dev.propel.model.LayerObserver} sees every layer of every step in order: each layer's input is the
     * output of the one before, each layer's ∂L/∂output the ∂L/∂input of the one after, and the first layer's input gradient
     * is not computed.
     */
    @Test
    void aLayerObserverSeesTheTensorsChainedThroughTheLayers() {
        Dataset data = prototypes(20, 6, 6);
        Model model = ONE_THREAD.build(mlp(6, 5, 0), 2);
        List<String> calls = new ArrayList<>();
        Tensor[] lastOutput = new Tensor[1];
        Tensor[] lastGradInput = new Tensor[1];
        dev.propel.model.LayerObserver observer = new dev.propel.model.LayerObserver() {
            @Override
            public void onForward(int index, dev.propel.spi.Layer layer, Tensor input, Tensor output) {
                calls.add("forward " + index);
                if (index > 0) assertArrayEquals(lastOutput[0].toArray(), input.toArray(), "input of layer " + index);
                lastOutput[0] = output.copy();
            }

            @Override
            public void onBackward(int index, dev.propel.spi.Layer layer, Tensor gradOutput, Tensor gradInput,
                                   dev.propel.spi.LayerContext ctx) {
                calls.add("backward " + index);
                if (index < model.layers().size() - 1) {
                    assertArrayEquals(lastGradInput[0].toArray(), gradOutput.toArray(), "∂L/∂output of layer " + index);
                }
                assertEquals(index == 0, gradInput == null, "input gradient of layer " + index);
                for (String p : layer.parameters().keySet()) assertEquals(layer.parameters().get(p).shape(), ctx.gradient(p).shape());
                lastGradInput[0] = gradInput == null ? null : gradInput.copy();
            }
        };
        Optimizer sgd = ONE_THREAD.optimizer("sgd", Map.of());
        new Trainer(TrainingConfig.builder().epochs(1).batchSize(10).build(), observer).fit(model, sgd, data, null);
        int layers = model.layers().size();
        assertEquals(2 * 2 * layers, calls.size(), "two steps, each a forward and a backward call per layer");
        assertEquals("forward 0", calls.getFirst());
        assertEquals("backward " + (layers - 1), calls.get(layers));
        assertEquals("backward 0", calls.getLast());
    }

    @Test
    void gradientDescentModesSetTheUpdatesPerEpoch() {
        Dataset data = prototypes(50, 8, 4);
        for (GradientDescent mode : GradientDescent.values()) {
            Model model = ONE_THREAD.build(mlp(8, 8, 0), 1);
            Optimizer sgd = ONE_THREAD.optimizer("sgd", Map.of("learning_rate", 0.01));
            new Trainer(TrainingConfig.builder().epochs(2).mode(mode).batchSize(8).build()).fit(model, sgd, data, null);
            long perEpoch = switch (mode) {
                case BATCH -> 1;
                case MINI_BATCH -> 7; // 50 examples in batches of 8: six full and one of 2
                case STOCHASTIC -> 50;
            };
            assertEquals(2 * perEpoch, sgd.stepCount(), mode.name());
        }
    }

    @Test
    void divergingLossStopsWithEpochAndBatch() {
        Dataset data = prototypes(64, 8, 5);
        Model model = ONE_THREAD.build(mlp(8, 16, 0), 1);
        Optimizer sgd = ONE_THREAD.optimizer("sgd", Map.of("learning_rate", 1e30));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () ->
                new Trainer(TrainingConfig.builder().epochs(5).batchSize(8).build()).fit(model, sgd, data, null));
        assertTrue(e.getMessage().matches("training diverged at epoch \\d+, batch \\d+: .*"), e.getMessage());
        assertTrue(e.getMessage().contains("Lower the learning rate"), e.getMessage());
    }

    @Test
    void nanGradientNamesTheParameterAndLayer() {
        try (Propel propel = Propel.builder().kernels(new VectorKernels(1)).plugin(new PoisonPlugin()).build()) {
            ModelSpec spec = ModelSpec.builder().input(8)
                    .layer("dense", Map.of("units", 6)).layer("poison").layer("dense", Map.of("units", 10))
                    .loss("cross_entropy").build();
            Model model = propel.build(spec, 1);
            Optimizer sgd = propel.optimizer("sgd", Map.of());
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () ->
                    new Trainer(TrainingConfig.builder().epochs(1).batchSize(8).build()).fit(model, sgd, prototypes(16, 8, 6), null));
            assertEquals(1, e.epoch());
            assertEquals(0, e.batch());
            assertTrue(e.where().contains("'dense_0.weight'") && e.where().contains("layer 'dense_0'"), e.getMessage());
        }
    }

    @Test
    void clipNormBoundsEachUpdate() {
        Dataset data = prototypes(64, 8, 7);
        Model model = ONE_THREAD.build(mlp(8, 16, 0), 1);
        Optimizer sgd = ONE_THREAD.optimizer("sgd", Map.of("learning_rate", 1.0));
        List<Double> stepNorms = new ArrayList<>();
        Map<String, float[]>[] before = new Map[]{weights(model)};
        TrainingListener watch = new TrainingListener() {
            @Override
            public void onBatchEnd(TrainingRun run, BatchResult batch) {
                Map<String, float[]> now = weights(run.model());
                double sq = 0;
                for (String k : now.keySet()) {
                    float[] a = now.get(k), b = before[0].get(k);
                    for (int i = 0; i < a.length; i++) sq += (double) (a[i] - b[i]) * (a[i] - b[i]);
                }
                stepNorms.add(Math.sqrt(sq));
                before[0] = now;
            }
        };
        new Trainer(TrainingConfig.builder().epochs(2).batchSize(8).clipNorm(0.05f).listener(watch).build()).fit(model, sgd, data, null);
        assertEquals(16, stepNorms.size());
        for (double n : stepNorms) assertTrue(n <= 0.05 * 1.001, "an SGD step of lr 1 moved the weights by " + n);
        assertTrue(stepNorms.stream().anyMatch(n -> n > 0.04), "clipping should be active: " + stepNorms);
    }

    @Test
    void scheduleSetsTheLearningRatePerEpoch() {
        Dataset data = prototypes(32, 8, 8);
        Model model = ONE_THREAD.build(mlp(8, 8, 0), 1);
        Optimizer sgd = ONE_THREAD.optimizer("sgd", Map.of("learning_rate", 0.1));
        TrainingHistory h = new Trainer(TrainingConfig.builder().epochs(4).batchSize(16)
                .schedule(LearningRateSchedule.parse("step:2:0.5")).build()).fit(model, sgd, data, null);
        float[] rates = new float[4];
        for (int i = 0; i < 4; i++) rates[i] = h.epochs().get(i).learningRate();
        assertArrayEquals(new float[]{0.1f, 0.1f, 0.05f, 0.05f}, rates);
    }

    @Test
    void aPerBatchScheduleSetsEachBatchsRate() {
        // 32 examples in batches of 10: 4 batches per epoch (the last of 2), 3 epochs = 12 steps.
        // linear(start 0.1, end 1, over 10 steps), base 0.1: 0.1·(0.1 + 0.9·min(t, 10)/10).
        Dataset data = prototypes(32, 8, 8);
        Model model = ONE_THREAD.build(mlp(8, 8, 0), 1);
        Optimizer sgd = ONE_THREAD.optimizer("sgd", Map.of("learning_rate", 0.1));
        List<Float> rates = new ArrayList<>();
        TrainingListener record = new TrainingListener() {
            @Override
            public void onBatchEnd(TrainingRun run, BatchResult batch) {
                rates.add(batch.learningRate());
            }
        };
        var linear = ONE_THREAD.schedule(List.of(ComponentSpec.of("linear", Map.of("start_factor", 0.1, "total_iters", 10))));
        TrainingHistory h = new Trainer(TrainingConfig.builder().epochs(3).batchSize(10).listener(record)
                .schedule(LearningRateSchedule.of(linear, ScheduleUnit.BATCH)).build()).fit(model, sgd, data, null);
        assertEquals(12, rates.size());
        for (int t = 0; t < 12; t++) {
            assertEquals((float) (0.1f * (0.1f + 0.9 * Math.min(t, 10) / 10)), rates.get(t), 1e-8f, "step " + t);
        }
        assertEquals(rates.get(4), h.epochs().get(1).learningRate(), "epoch 2 reports its first batch's rate");
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() {
        // Memorising random labels with a big network: validation loss can only rise.
        Dataset train = randomLabels(prototypes(40, 30, 9));
        Dataset val = randomLabels(prototypes(200, 30, 10));
        Model model = ONE_THREAD.build(mlp(30, 256, 0), 2);
        Optimizer adam = ONE_THREAD.optimizer("adam", Map.of("learning_rate", 0.01));
        EarlyStopping stop = new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, 2, 0f, true);
        TrainingHistory h = new Trainer(TrainingConfig.builder().epochs(60).batchSize(8).listener(stop).build())
                .fit(model, adam, train, val);
        assertTrue(h.epochs().size() < 60, "should stop early, ran " + h.epochs().size());
        assertTrue(h.stopReason().startsWith("early stopping"), h.stopReason());
        float bestLoss = h.epochs().get(stop.bestEpoch() - 1).validationLoss();
        float restored = dev.propel.train.Evaluator.evaluate(model, val).loss();
        assertEquals(bestLoss, restored, 1e-6f, "weights of the best epoch should be restored");
    }

    @Test
    void validationSplitHoldsOutData() {
        Dataset data = prototypes(100, 8, 11);
        Model model = ONE_THREAD.build(mlp(8, 8, 0), 1);
        Optimizer sgd = ONE_THREAD.optimizer("sgd", Map.of());
        TrainingHistory h = new Trainer(TrainingConfig.builder().epochs(1).batchSize(10).validationSplit(0.2).build())
                .fit(model, sgd, data, null);
        assertEquals(80, h.last().samples());
        assertTrue(h.last().hasValidation());
        assertEquals(8, sgd.stepCount());
    }
}
