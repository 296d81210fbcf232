package dev.propel.train.ff;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;
import dev.propel.train.EpochMetrics;
import dev.propel.train.LearningRateSchedule;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingDivergedException;
import dev.propel.train.TrainingListener;
import dev.propel.train.TrainingRun;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardForwardTrainerTest {
    private static final Dataset TRAIN = FfFixtures.blobs("blobs", 600, 4, 20, 1);
    private static final Dataset TEST = FfFixtures.blobs("blobs-test", 300, 4, 20, 2);

    private static TrainingConfig training(int epochs, TrainingListener... listeners) {
        TrainingConfig.Builder b = TrainingConfig.builder().epochs(epochs).batchSize(25).seed(5);
        for (TrainingListener l : listeners) b.listener(l);
        return b.build();
    }

    private static ForwardForwardConfig.Builder config(Propel propel, TrainingConfig training) {
        return ForwardForwardConfig.builder(training, FfFixtures.sgd(propel, 0.01f, 0.9f));
    }

    @Test
    void learnsSeparableClassesWithTheGoodnessRuleWithoutAnyGradientBetweenLayers() {
        try (Propel propel = FfFixtures.propel()) {
            Model stack = FfFixtures.stack(propel, 20, 3, 24, 24);
            int inputGradients = FfTestPlugin.DENSE_INPUT_GRADIENTS.get();
            ForwardForwardResult r = new ForwardForwardTrainer(config(propel, training(6)).build()).fit(stack, TRAIN, TEST);
            assertEquals(inputGradients, FfTestPlugin.DENSE_INPUT_GRADIENTS.get(), "a dense layer was asked for its input gradient");
            float acc = r.model().evaluate(TEST).accuracy();
            assertTrue(acc > 0.95f, "test accuracy " + acc);
            assertEquals(acc, r.history().last().validationAccuracy());
            assertTrue(r.history().last().trainLoss() < r.history().epochs().getFirst().trainLoss() / 5, "the local losses fell: "
                    + r.history().epochs());
            assertTrue(r.history().last().trainAccuracy() > 0.95f);
            assertEquals(PredictionRule.GOODNESS, r.model().rule());
            assertFalse(r.model().hasSoftmaxHead());
            assertEquals(1, r.model().settings().firstCountedBlock(), "the first hidden layer is skipped by default");
            assertEquals(1f, r.model().settings().labelStrength(), "the top of the data range");
        }
    }

    @Test
    void hardNegativesAndTheSoftmaxRule() {
        try (Propel propel = FfFixtures.propel()) {
            Model stack = FfFixtures.stack(propel, 20, 3, 24, 24);
            ForwardForwardConfig c = config(propel, training(6)).negatives(NegativeLabels.HARD).rule(PredictionRule.SOFTMAX)
                    .headOptimizer(FfFixtures.sgd(propel, 0.1f, 0.9f)).build();
            ForwardForwardResult r = new ForwardForwardTrainer(c).fit(stack, TRAIN, null);
            assertTrue(r.model().hasSoftmaxHead());
            float softmax = r.model().evaluate(TEST).accuracy();
            float goodness = r.model().withRule(PredictionRule.GOODNESS).evaluate(TEST).accuracy();
            assertTrue(softmax > 0.95f, "softmax-rule accuracy " + softmax);
            assertTrue(goodness > 0.95f, "goodness-rule accuracy " + goodness);
            assertTrue(Float.isNaN(r.history().last().validationLoss()), "no validation data was given");
        }
    }

    @Test
    void greedyScheduleTrainsOneBlockAfterTheOtherAndFreezesTheOnesBelow() {
        try (Propel propel = FfFixtures.propel()) {
            Model stack = FfFixtures.stack(propel, 20, 3, 24, 24);
            float[][] block0AfterPhase1 = new float[1][];
            float[][] block1AfterPhase1 = new float[1][];
            List<Integer> epochs = new ArrayList<>();
            int[] total = new int[1];
            TrainingListener spy = new TrainingListener() {
                @Override
                public void onTrainingStart(TrainingRun run) {
                    total[0] = run.totalEpochs();
                }

                @Override
                public void onEpochEnd(TrainingRun run, EpochMetrics m) {
                    epochs.add(m.epoch());
                    if (m.epoch() == 4) {
                        block0AfterPhase1[0] = run.model().parameters().get("dense_0.weight").toArray();
                        block1AfterPhase1[0] = run.model().parameters().get("dense_2.weight").toArray();
                    }
                }
            };
            float[] block1Before = stack.parameters().get("dense_2.weight").toArray();
            ForwardForwardConfig c = config(propel, training(4, spy)).layerSchedule(LayerSchedule.GREEDY).build();
            ForwardForwardResult r = new ForwardForwardTrainer(c).fit(stack, TRAIN, TEST);
            assertEquals(8, total[0]);
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), epochs);
            assertArrayEquals(block0AfterPhase1[0], stack.parameters().get("dense_0.weight").toArray(),
                    "block 0 must not change while block 1 trains");
            assertArrayEquals(block1Before, block1AfterPhase1[0], "block 1 must not change while block 0 trains");
            assertFalse(java.util.Arrays.equals(block1Before, stack.parameters().get("dense_2.weight").toArray()), "block 1 trained");
            float acc = r.model().evaluate(TEST).accuracy();
            assertTrue(acc > 0.95f, "test accuracy " + acc);
        }
    }

    @Test
    void sameSeedGivesTheSameWeights() {
        try (Propel propel = FfFixtures.propel()) {
            float[] a = trainedWeights(propel, 5);
            float[] b = trainedWeights(propel, 5);
            float[] c = trainedWeights(propel, 6);
            assertArrayEquals(a, b);
            assertFalse(java.util.Arrays.equals(a, c));
        }
    }

    private static float[] trainedWeights(Propel propel, long seed) {
        Model stack = FfFixtures.stack(propel, 20, 3, 16, 16);
        TrainingConfig t = TrainingConfig.builder().epochs(2).batchSize(50).seed(seed).build();
        new ForwardForwardTrainer(config(propel, t).negatives(NegativeLabels.HARD).trainAccuracySamples(0).build())
                .fit(stack, TRAIN, null);
        return stack.parameters().get("dense_2.weight").toArray();
    }

    @Test
    void perLayerLearningRates() {
        try (Propel propel = FfFixtures.propel()) {
            Model stack = FfFixtures.stack(propel, 20, 3, 16, 16);
            float[] w0 = stack.parameters().get("dense_0.weight").toArray();
            float[] w1 = stack.parameters().get("dense_2.weight").toArray();
            ForwardForwardConfig c = config(propel, training(1)).layerLearningRates(List.of(0.01f, 1e-30f)).build();
            new ForwardForwardTrainer(c).fit(stack, TRAIN, null);
            assertFalse(java.util.Arrays.equals(w0, stack.parameters().get("dense_0.weight").toArray()));
            assertArrayEquals(w1, stack.parameters().get("dense_2.weight").toArray(), 1e-12f);

            ForwardForwardConfig wrong = config(propel, training(1)).layerLearningRates(List.of(0.1f, 0.1f, 0.1f)).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ForwardForwardTrainer(wrong).fit(FfFixtures.stack(propel, 20, 3, 16, 16), TRAIN, null));
            assertTrue(e.getMessage().contains("3 layer learning rates") && e.getMessage().contains("2 blocks"), e.getMessage());
        }
    }

    @Test
    void sharingOneOptimizerBetweenLayersIsRefused() {
        try (Propel propel = FfFixtures.propel()) {
            Optimizer shared = propel.optimizer("sgd", Map.of());
            ForwardForwardConfig c = ForwardForwardConfig.builder(training(1), () -> shared).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ForwardForwardTrainer(c).fit(FfFixtures.stack(propel, 20, 3, 16, 16), TRAIN, null));
            assertTrue(e.getMessage().contains("same sgd instance for block 1"), e.getMessage());
            assertTrue(e.getMessage().contains("needs its own optimizer"), e.getMessage());
        }
    }

    @Test
    void activationMemoryDoesNotGrowWithDepth() {
        try (Propel propel = FfFixtures.propel()) {
            ForwardForwardConfig c = config(propel, training(1)).trainAccuracySamples(0).build();
            long shallow = new ForwardForwardTrainer(c).fit(FfFixtures.stack(propel, 20, 3, 32, 32), TRAIN, null).activationBytes();
            long deep = new ForwardForwardTrainer(c).fit(FfFixtures.stack(propel, 20, 3, 32, 32, 32, 32, 32, 32), TRAIN, null)
                    .activationBytes();
            assertEquals(shallow, deep);
            // dense out, relu out, relu dx for 2·25 rows of 32 units, plus the trainer's own batch arrays.
            assertTrue(shallow >= 3L * 4 * 50 * 32, "bytes " + shallow);
        }
    }

    @Test
    void backpropHoldsEveryLayersActivationsWhereForwardForwardHoldsOneBlocks() {
        try (Propel propel = FfFixtures.propel()) {
            long shallow = backpropActivationBytes(propel, 32, 32);
            long deep = backpropActivationBytes(propel, 32, 32, 32, 32, 32, 32);
            long ffDeep = new ForwardForwardTrainer(config(propel, training(1)).trainAccuracySamples(0).build())
                    .fit(FfFixtures.stack(propel, 20, 3, 32, 32, 32, 32, 32, 32), TRAIN, null).activationBytes();
            // Each of the four extra dense → relu blocks keeps at least its two outputs of 25 rows × 32 floats.
            assertTrue(deep - shallow >= 4L * 2 * 25 * 32 * 4, "backprop bytes " + shallow + " → " + deep);
            assertTrue(ffDeep < deep, "forward-forward " + ffDeep + " vs backprop " + deep);
        }
    }

    /** {@link TrainingRun#activationBytes()} at the end of one backprop epoch of a dense → relu stack with a 4-unit head. */
    private static long backpropActivationBytes(Propel propel, int... widths) {
        ModelSpec.Builder spec = ModelSpec.builder().input(20).loss("mse");
        for (int w : widths) spec.layer("dense", Map.of("units", w)).layer("relu");
        Model model = propel.build(spec.layer("dense", Map.of("units", 4)).build(), 3);
        long[] bytes = {-1};
        TrainingListener probe = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingRun run, EpochMetrics m) {
                bytes[0] = run.activationBytes();
            }
        };
        new Trainer(training(1, probe)).fit(model, FfFixtures.sgd(propel, 0.01f, 0f).get(), TRAIN, null);
        return bytes[0];
    }

    @Test
    void badDataAndModelsAreExplained() {
        try (Propel propel = FfFixtures.propel()) {
            ForwardForwardTrainer t = new ForwardForwardTrainer(config(propel, training(1)).build());
            Dataset regression = Dataset.regression("r", Tensor.zeros(4, 20), Tensor.zeros(4, 1));
            IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class,
                    () -> t.fit(FfFixtures.stack(propel, 20, 1, 8), regression, null));
            assertTrue(e1.getMessage().contains("no class labels"), e1.getMessage());

            Model withSoftmax = propel.build(dev.propel.model.ModelSpec.builder().input(20).loss("mse")
                    .layer("dense", Map.of("units", 8)).layer("relu").layer("dense", Map.of("units", 4)).layer("softmax").build(), 1);
            UnsupportedLayerException e2 = assertThrows(UnsupportedLayerException.class, () -> t.fit(withSoftmax, TRAIN, null));
            assertTrue(e2.getMessage().contains("'softmax_3' (softmax) cannot be trained with Forward-Forward"), e2.getMessage());

            Dataset narrow = Dataset.classification("narrow", Tensor.zeros(4, 3), new int[]{0, 1, 2, 3}, 4);
            IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                    () -> t.fit(FfFixtures.stack(propel, 3, 1, 8), narrow, null));
            assertTrue(e3.getMessage().contains("3 features per example") && e3.getMessage().contains("at least 4"), e3.getMessage());

            ForwardForwardTrainer tooFar = new ForwardForwardTrainer(config(propel, training(1)).firstCountedBlock(2).build());
            IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                    () -> tooFar.fit(FfFixtures.stack(propel, 20, 1, 8, 8), TRAIN, null));
            assertTrue(e4.getMessage().contains("first counted block 2 leaves no block"), e4.getMessage());
        }
    }

    @Test
    void nanInTheDataStopsTrainingWithTheBlockNamed() {
        try (Propel propel = FfFixtures.propel()) {
            float[] x = TRAIN.features().toArray();
            x[3 * 20 + 7] = Float.NaN;
            Dataset bad = Dataset.classification("bad", Tensor.wrap(x, Shape.of(600, 20)), TRAIN.labels(), 4);
            ForwardForwardConfig c = ForwardForwardConfig.builder(
                    TrainingConfig.builder().epochs(1).batchSize(25).shuffle(false).build(), FfFixtures.sgd(propel, 0.01f, 0f)).build();
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> new ForwardForwardTrainer(c).fit(FfFixtures.stack(propel, 20, 1, 8), bad, null));
            assertEquals(1, e.epoch());
            assertEquals(0, e.batch());
            assertTrue(e.where().contains("block 0 (dense_0 → relu_1)"), e.where());
        }
    }

    @Test
    void peerNormalisationRevivesADeadUnit() {
        try (Propel propel = FfFixtures.propel()) {
            float[] withoutPeer = deadUnitBiasAfterTraining(propel, 0f);
            float[] withPeer = deadUnitBiasAfterTraining(propel, 0.03f);
            assertEquals(-50f, withoutPeer[0], "a dead ReLU gets no gradient from the goodness loss alone");
            assertTrue(withPeer[0] > -50f + 1e-3f, "peer normalisation pushes the dead unit's bias up: " + withPeer[0]);
            assertThrows(IllegalArgumentException.class, () -> config(propel, training(1)).peerNormalization(-1f).build());
        }
    }

    private static float[] deadUnitBiasAfterTraining(Propel propel, float lambda) {
        Model stack = FfFixtures.stack(propel, 20, 3, 16, 16);
        stack.parameters().get("dense_0.bias").data()[0] = -50f;
        ForwardForwardConfig c = config(propel, training(1)).peerNormalization(lambda).trainAccuracySamples(0).build();
        new ForwardForwardTrainer(c).fit(stack, TRAIN, null);
        return stack.parameters().get("dense_0.bias").toArray();
    }

    @Test
    void aPerBatchScheduleChangesTheRateWithinAnEpoch() {
        // 600 examples in batches of 25: 24 batches per epoch; step (per batch) halves the rate every 10 batches.
        java.util.List<Float> rates = new java.util.ArrayList<>();
        TrainingListener record = new TrainingListener() {
            @Override
            public void onBatchEnd(dev.propel.train.TrainingRun run, dev.propel.train.BatchResult batch) {
                rates.add(batch.learningRate());
            }
        };
        TrainingConfig perBatch = TrainingConfig.builder().epochs(2).batchSize(25).seed(5).listener(record)
                .schedule(LearningRateSchedule.step(10, 0.5f).per(dev.propel.train.ScheduleUnit.BATCH)).build();
        try (Propel propel = FfFixtures.propel()) {
            ForwardForwardResult r = new ForwardForwardTrainer(config(propel, perBatch).build())
                    .fit(FfFixtures.stack(propel, 20, 3, 24, 24), TRAIN, TEST);
            assertEquals(48, rates.size());
            for (int step = 0; step < 48; step++) {
                assertEquals((float) (0.01f * Math.pow(0.5f, step / 10)), rates.get(step), "batch step " + step);
            }
            assertEquals(rates.get(24), r.history().last().learningRate(), "an epoch reports its first batch's rate");
        }
    }

    @Test
    void hintonScheduleKeepsTheRateForHalfTheEpochsThenDecaysLinearly() {
        LearningRateSchedule s = LearningRateSchedule.parse("linear-half");
        float[] rates = new float[10];
        for (int e = 0; e < 10; e++) rates[e] = s.rate(1f, e, 10);
        assertArrayEquals(new float[]{1, 1, 1, 1, 1, 0.9f, 0.7f, 0.5f, 0.3f, 0.1f}, rates, 1e-6f);
    }
}
