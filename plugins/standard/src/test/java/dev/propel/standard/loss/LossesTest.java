package dev.propel.standard.loss;

import dev.propel.spi.AttributeException;
import dev.propel.spi.Loss;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.testing.GradientCheck;
import dev.propel.testing.RandomTensors;
import dev.propel.testing.TensorAsserts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.propel.standard.Standard.KERNELS;
import static dev.propel.standard.Standard.loss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossesTest {

    /** Predictions and targets suited to each loss, for batch 3 and 17 outputs (and 1 × 1). */
    static Stream<Arguments> cases() {
        return Stream.of(new int[] {3, 17}, new int[] {1, 1}, new int[] {5, 3}).flatMap(s -> {
            int rows = s[0];
            int cols = s[1];
            SplittableRandom rng = new SplittableRandom(rows * 100L + cols);
            return Stream.of(
                    Arguments.of("mse", Map.of(), RandomTensors.normal(rng, rows, cols), RandomTensors.normal(rng, rows, cols)),
                    Arguments.of("cross_entropy", Map.of(), RandomTensors.normal(rng, 2f, rows, cols),
                            RandomTensors.oneHot(rng, rows, cols)),
                    Arguments.of("cross_entropy", Map.of(), RandomTensors.normal(rng, 2f, rows, cols),
                            RandomTensors.probabilityRows(rng, rows, cols)),
                    Arguments.of("cross_entropy", Map.of("label_smoothing", 0.2), RandomTensors.normal(rng, 2f, rows, cols),
                            RandomTensors.oneHot(rng, rows, cols)),
                    // Rows that do not sum to 1: the general gradient q·Σt − t, as PyTorch.
                    Arguments.of("cross_entropy", Map.of("label_smoothing", 0.1), RandomTensors.normal(rng, 2f, rows, cols),
                            RandomTensors.uniform(rng, 0f, 1f, rows, cols)),
                    Arguments.of("binary_cross_entropy", Map.of(), RandomTensors.uniform(rng, 0.2f, 0.8f, rows, cols),
                            RandomTensors.uniform(rng, 0f, 1f, rows, cols)),
                    Arguments.of("binary_cross_entropy", Map.of("from_logits", true), RandomTensors.normal(rng, 3f, rows, cols),
                            RandomTensors.uniform(rng, 0f, 1f, rows, cols)));
        });
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(String type, Map<String, ?> attributes, Tensor predictions, Tensor targets) {
        GradientCheck.loss(loss(type, attributes), predictions, targets, KERNELS).run();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mse", "cross_entropy", "binary_cross_entropy"})
    void targetsOfAnotherShapeAreRejectedNamingTheLossAndBothShapes(String type) {
        Loss l = loss(type, Map.of());
        ShapeException e = assertThrows(ShapeException.class,
                () -> l.compute(Tensor.zeros(3, 4), Tensor.zeros(3, 5), null, KERNELS));
        assertTrue(e.getMessage().contains("'" + type + "'") && e.getMessage().contains("[3, 4]")
                && e.getMessage().contains("[3, 5]"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mse", "cross_entropy", "binary_cross_entropy"})
    void aGradientTensorOfAnotherSizeIsRejected(String type) {
        Loss l = loss(type, Map.of());
        ShapeException e = assertThrows(ShapeException.class,
                () -> l.compute(Tensor.zeros(3, 4), Tensor.zeros(3, 4), Tensor.zeros(3, 3), KERNELS));
        assertTrue(e.getMessage().contains("'" + type + "'") && e.getMessage().contains("gradient")
                && e.getMessage().contains("[3, 3]"), e.getMessage());
    }

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
    void labelSmoothingMustBeBelowOne() {
        AttributeException e = assertThrows(AttributeException.class, () -> loss("cross_entropy", Map.of("label_smoothing", 1)));
        assertTrue(e.getMessage().contains("'label_smoothing'") && e.getMessage().contains("< 1"), e.getMessage());
    }

    @Test
    void unknownLossAttributeListsTheValidOnes() {
        AttributeException e = assertThrows(AttributeException.class,
                () -> loss("binary_cross_entropy", Map.of("logits", true)));
        assertTrue(e.getMessage().contains("'logits'") && e.getMessage().contains("from_logits"), e.getMessage());
    }

    @Test
    void binaryCrossEntropyClampsTheLogAtMinus100LikePyTorch() {
        Tensor p = Tensor.of(new float[] {0, 1}, 1, 2);
        Tensor t = Tensor.of(new float[] {1, 0}, 1, 2);
        assertEquals(100f, loss("binary_cross_entropy", Map.of()).compute(p, t, null, KERNELS));
    }

    @Test
    void reusedScratchArraysGiveTheSameResults() {
        // Scratch arrays are per thread and reused: the same arrays serve every later call.
        Loss ce = loss("cross_entropy", Map.of("label_smoothing", 0.1));
        SplittableRandom rng = new SplittableRandom(3);
        Tensor z = RandomTensors.normal(rng, 8, 10);
        Tensor t = RandomTensors.oneHot(rng, 8, 10);
        Tensor g = Tensor.zeros(8, 10);
        float first = ce.compute(z, t, g, KERNELS);
        Tensor g1 = g.copy();
        assertEquals(first, ce.compute(z, t, g, KERNELS));
        TensorAsserts.assertBitwiseEqual("same gradient on reuse", g1, g);
        // A smaller batch reuses the larger scratch arrays and gives the same result as a fresh loss.
        Tensor z2 = RandomTensors.normal(rng, 3, 10);
        Tensor t2 = RandomTensors.oneHot(rng, 3, 10);
        assertEquals(loss("cross_entropy", Map.of("label_smoothing", 0.1)).compute(z2, t2, null, KERNELS),
                ce.compute(z2, t2, null, KERNELS));
    }
}
