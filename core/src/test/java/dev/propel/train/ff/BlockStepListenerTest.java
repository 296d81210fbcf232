package dev.propel.train.ff;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.Model;
import dev.propel.train.BatchResult;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingRun;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a {@link BlockStepListener} sees is what the trainer computed: the goodness is Σ y² of the block's
 * activities, p(positive) is σ(g − θ) recomputed here in double precision, the two passes' losses are
 * the softplus sums of {@link LocalLoss}'s formula and add up to the loss of the step; listening changes
 * no weight, and a stop request takes effect after the batch.
 */
class BlockStepListenerTest {
    private static final Dataset TRAIN = FfFixtures.blobs("blobs", 100, 4, 20, 1);

    private static final class Recorder implements BlockStepListener {
        final List<BlockStep> steps = new ArrayList<>();
        final List<BatchResult> batches = new ArrayList<>();
        final int stopAfter;

        Recorder(int stopAfter) {
            this.stopAfter = stopAfter;
        }

        @Override
        public void onBlockStep(TrainingRun run, BlockStep step) {
            steps.add(step);
        }

        @Override
        public void onBatchEnd(TrainingRun run, BatchResult batch) {
            batches.add(batch);
            if (batches.size() == stopAfter) run.requestStop("traced");
        }
    }

    private static float[] train(Propel propel, Recorder recorder) {
        Model stack = FfFixtures.stack(propel, 20, 3, 16, 12);
        TrainingConfig.Builder t = TrainingConfig.builder().epochs(1).batchSize(10).seed(4);
        if (recorder != null) t.listener(recorder);
        new ForwardForwardTrainer(ForwardForwardConfig.builder(t.build(), FfFixtures.sgd(propel, 0.01f, 0.9f))
                .trainAccuracySamples(0).build()).fit(stack, TRAIN, null);
        return stack.parameters().get("dense_2.weight").toArray();
    }

    @Test
    void theFiguresAreTheTrainersAndAddUp() {
        try (Propel propel = FfFixtures.propel()) {
            Recorder r = new Recorder(Integer.MAX_VALUE);
            float[] listened = train(propel, r);
            assertArrayEquals(train(propel, null), listened, "a listener does not change the training");
            assertEquals(10, r.batches.size());
            assertEquals(2 * r.batches.size(), r.steps.size(), "two blocks per batch");
            for (int i = 0; i < r.batches.size(); i++) {
                BlockStep first = r.steps.get(2 * i);
                BlockStep second = r.steps.get(2 * i + 1);
                assertEquals(0, first.block());
                assertEquals(1, second.block());
                assertEquals(r.batches.get(i).loss(), first.loss() + second.loss(), 1e-5f, "the step's loss is the blocks' sum");
                for (BlockStep s : List.of(first, second)) check(s);
            }
            assertEquals(16f, r.steps.getFirst().threshold(), "θ = 1 per unit × 16 units (sum goodness)");
            assertTrue(r.steps.getFirst().description().contains("→"), r.steps.getFirst().description());
        }
    }

    private static void check(BlockStep s) {
        assertEquals(10, s.positiveGoodness().length);
        assertEquals(10, s.negativeGoodness().length);
        double pos = 0;
        double neg = 0;
        for (int i = 0; i < 10; i++) {
            double zp = s.positiveGoodness()[i] - s.threshold();
            double zn = s.negativeGoodness()[i] - s.threshold();
            assertTrue(s.positiveGoodness()[i] >= 0 && s.negativeGoodness()[i] >= 0, "goodness is a sum of squares");
            assertEquals(1 / (1 + Math.exp(-zp)), s.positiveProbability()[i], 1e-6);
            assertEquals(1 / (1 + Math.exp(-zn)), s.negativeProbability()[i], 1e-6);
            pos += Math.log1p(Math.exp(-zp));   // softplus(θ − g)
            neg += Math.log1p(Math.exp(zn));    // softplus(g − θ)
        }
        assertEquals(pos / 10, s.positiveLoss(), 1e-5);
        assertEquals(neg / 10, s.negativeLoss(), 1e-5);
        assertEquals(s.loss(), s.positiveLoss() + s.negativeLoss(), 1e-5f);
    }

    @Test
    void aStopRequestEndsTheRunAfterThatBatch() {
        try (Propel propel = FfFixtures.propel()) {
            Recorder r = new Recorder(3);
            train(propel, r);
            assertEquals(3, r.batches.size());
            assertEquals(6, r.steps.size());
        }
    }
}
