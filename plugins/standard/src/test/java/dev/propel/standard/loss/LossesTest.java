package dev.propel.standard.loss;

import dev.propel.spi.Loss;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.RandomTensors;
import dev.propel.testkit.TensorAsserts;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static dev.propel.standard.Standard.KERNELS;
import static dev.propel.standard.Standard.loss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossesTest {

    @Test
    void targetsFlattenedPerSampleAreAccepted() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor p = RandomTensors.normal(rng, 2, 3, 4);
        Tensor t = RandomTensors.normal(rng, 2, 12);
        Loss mse = loss("mse", Map.of());
        assertEquals(mse.compute(p, t.reshape(2, 3, 4), null, KERNELS), mse.compute(p, t, null, KERNELS));
    }

    @Test
    void meanSquaredErrorIsTheMeanOverAllElements() {
        Tensor p = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor t = Tensor.of(new float[] {0, 2, 5, 4}, 2, 2);
        Tensor g = Tensor.zeros(2, 2);
        assertEquals(5f / 4f, loss("mse", Map.of()).compute(p, t, g, KERNELS));
        TensorAsserts.assertBitwiseEqual("2(p - t)/N", Tensor.of(new float[] {0.5f, 0, -1, 0}, 2, 2), g);
    }

    @Test
    void crossEntropyIsTheMeanOverTheBatchAndGradientIsSoftmaxMinusTargetsOverB() {
        Tensor z = Tensor.of(new float[] {0, 0, 0, 0, (float) Math.log(3), 0}, 2, 3);
        Tensor t = Tensor.of(new float[] {1, 0, 0, 0, 1, 0}, 2, 3);
        Tensor g = Tensor.zeros(2, 3);
        float l = loss("cross_entropy", Map.of()).compute(z, t, g, KERNELS);
        assertEquals((Math.log(3) + Math.log(5.0 / 3)) / 2, l, 1e-6);
        TensorAsserts.assertClose("(q - t)/B", Tensor.of(new float[] {
                (1f / 3 - 1) / 2, 1f / 6, 1f / 6, 0.1f, (0.6f - 1) / 2, 0.1f}, 2, 3), g, 1e-6, 1e-7);
    }

    @Test
    void crossEntropyStaysFiniteForHugeLogits() {
        Tensor z = Tensor.of(new float[] {1e30f, -1e30f, 0, -3e38f, 3e38f, 0}, 2, 3);
        Tensor t = Tensor.of(new float[] {1, 0, 0, 0, 1, 0}, 2, 3);
        Tensor g = Tensor.zeros(2, 3);
        float l = loss("cross_entropy", Map.of()).compute(z, t, g, KERNELS);
        assertEquals(0f, l);
        assertEquals(-1, KERNELS.firstNonFinite(g.data(), 6), "gradient " + g);
    }

    @Test
    void crossEntropyNeedsABatchOfRows() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> loss("cross_entropy", Map.of()).compute(Tensor.zeros(4), Tensor.zeros(4), null, KERNELS));
        assertTrue(e.getMessage().contains("[batch, classes]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void binaryCrossEntropyClampsTheLogAtMinus100LikePyTorch() {
        Tensor p = Tensor.of(new float[] {0, 1}, 1, 2);
        Tensor t = Tensor.of(new float[] {1, 0}, 1, 2);
        assertEquals(100f, loss("binary_cross_entropy", Map.of()).compute(p, t, null, KERNELS));
    }

    @Test
    void aSmallerBatchReusingLargerScratchArraysGivesTheSameResults() {
        // Scratch arrays are per thread and reused (the testkit checks repeated calls and concurrent use).
        Loss ce = loss("cross_entropy", Map.of("label_smoothing", 0.1));
        SplittableRandom rng = new SplittableRandom(3);
        ce.compute(RandomTensors.normal(rng, 8, 10), RandomTensors.oneHot(rng, 8, 10), Tensor.zeros(8, 10), KERNELS);
        // A smaller batch reuses the larger scratch arrays and gives the same result as a fresh loss.
        Tensor z2 = RandomTensors.normal(rng, 3, 10);
        Tensor t2 = RandomTensors.oneHot(rng, 3, 10);
        assertEquals(loss("cross_entropy", Map.of("label_smoothing", 0.1)).compute(z2, t2, null, KERNELS),
                ce.compute(z2, t2, null, KERNELS));
    }
}
