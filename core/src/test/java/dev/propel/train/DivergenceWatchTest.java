package dev.propel.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a finite loss counts as divergence, and when ordinary noise does not. */
class DivergenceWatchTest {
    private static final String WHERE = "the loss function 'mse'";

    @Test
    void aLossExplodingWithinTheFirstEpochIsDivergence() {
        DivergenceWatch w = new DivergenceWatch(100);
        w.startEpoch();
        w.batch(1, 0, 2.3f, 64, WHERE);
        for (int b = 1; b < 8; b++) w.batch(1, b, 2.0f, 64, WHERE);
        w.batch(1, 8, 3e4f, 64, WHERE); // still in the warm-up: not judged yet
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> w.batch(1, 9, 6e13f, 64, WHERE));
        assertEquals(1, e.epoch());
        assertEquals(9, e.batch());
        assertTrue(e.getMessage().contains("more than 1000 times the best so far (2.300)"), e.getMessage());
        assertTrue(e.getMessage().contains("in the loss function 'mse'"), e.getMessage());
    }

    @Test
    void growthIsMeasuredAgainstTheBestEpoch() {
        DivergenceWatch w = new DivergenceWatch(10);
        epoch(w, 1, 2.0f);
        epoch(w, 2, 0.5f);
        w.startEpoch();
        for (int b = 0; b < 9; b++) w.batch(3, b, 400f, 10, WHERE);
        assertDoesNotThrow(() -> w.batch(3, 9, 400f, 10, WHERE), "800 times the best epoch (0.5) is not divergence");
        w.startEpoch();
        for (int b = 0; b < 9; b++) w.batch(4, b, 600f, 10, WHERE);
        assertThrows(TrainingDivergedException.class, () -> w.batch(4, 9, 600f, 10, WHERE), "1200 times the best epoch");
    }

    @Test
    void aModelThatFitsItsDataMayHaveNoisyBatches() {
        // A near-zero loss, then single examples with a large loss (stochastic gradient descent): the
        // reference is at least 0.01, and a running mean over 10 batches below 10 is never divergence.
        DivergenceWatch w = new DivergenceWatch(1000);
        epoch(w, 1, 1e-6f);
        w.startEpoch();
        for (int b = 0; b < 1000; b++) {
            int batch = b;
            assertDoesNotThrow(() -> w.batch(2, batch, batch % 10 == 0 ? 20f : 1e-6f, 1, WHERE));
        }
    }

    @Test
    void shortEpochsAreJudgedAtTheirLastBatch() {
        DivergenceWatch w = new DivergenceWatch(1); // full-batch gradient descent
        epoch(w, 1, 2.0f);
        w.startEpoch();
        assertThrows(TrainingDivergedException.class, () -> w.batch(2, 0, 1e7f, 100, WHERE));
    }

    private static void epoch(DivergenceWatch w, int epoch, float loss) {
        w.startEpoch();
        w.batch(epoch, 0, loss, 1, WHERE);
        w.endEpoch();
    }
}
