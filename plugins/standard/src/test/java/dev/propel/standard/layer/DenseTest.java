package dev.propel.standard.layer;

import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;
import dev.propel.spi.AttributeException;
import dev.propel.spi.Layer;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.TensorAsserts;
import dev.propel.testkit.GradientCheck;
import dev.propel.testkit.RandomTensors;
import dev.propel.testkit.TestLayerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.SplittableRandom;

import static dev.propel.standard.Standard.KERNELS;
import static dev.propel.standard.Standard.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenseTest {

    @ParameterizedTest(name = "activation {0}, bias {1}")
    @CsvSource({"relu, true", "relu, false", "sigmoid, true", "tanh, true", "tanh, false", "none, true"})
    void fusedActivationGradientsMatchFiniteDifferences(String activation, boolean bias) {
        Layer dense = layer("dense", Map.of("units", 6, "use_bias", bias, "activation", activation), 9);
        // Seeds chosen so that no pre-activation lies within the finite-difference step of ReLU's kink.
        Tensor x = RandomTensors.normal(new SplittableRandom(bias ? 3 : 4), 4, 9);
        GradientCheck.layer(dense, x, KERNELS).run();
    }

    /**
     * {@code dense(activation = f)} is bitwise {@code dense} followed by the activation layer f: output,
     * weight and bias gradients and input gradient, with the vector kernels and two threads.
     */
    @ParameterizedTest(name = "activation {0}, bias {1}")
    @CsvSource({"relu, true", "relu, false", "sigmoid, true", "tanh, false"})
    void fusedActivationEqualsDenseFollowedByTheActivationLayer(String activation, boolean bias) {
        try (Kernels vector = KernelsProvider.create(2)) {
            Layer fused = layer("dense", Map.of("units", 37, "use_bias", bias, "activation", activation), 50);
            Layer plain = layer("dense", Map.of("units", 37, "use_bias", bias), 50);
            Layer f = layer(activation, Map.of(), 37);
            plain.parameters().forEach((name, value) -> value.copyFrom(fused.parameters().get(name)));
            Tensor x = RandomTensors.normal(new SplittableRandom(5), 33, 50);
            Tensor dy = RandomTensors.normal(new SplittableRandom(6), 33, 37);

            TestLayerContext fusedCtx = TestLayerContext.training(fused, vector);
            TestLayerContext plainCtx = TestLayerContext.training(plain, vector);
            TestLayerContext fCtx = TestLayerContext.training(f, vector);
            for (int step = 0; step < 2; step++) { // the second step reuses every buffer
                Tensor yFused = fused.forward(x, fusedCtx);
                Tensor yPlain = f.forward(plain.forward(x, plainCtx), fCtx);
                TensorAsserts.assertBitwiseEqual("output", yPlain, yFused);
                Tensor dxFused = fused.backward(dy, fusedCtx);
                Tensor dxPlain = plain.backward(f.backward(dy, fCtx), plainCtx);
                TensorAsserts.assertBitwiseEqual("input gradient", dxPlain, dxFused);
                TensorAsserts.assertBitwiseEqual("weight gradient", plainCtx.gradient("weight"), fusedCtx.gradient("weight"));
                if (bias) {
                    TensorAsserts.assertBitwiseEqual("bias gradient", plainCtx.gradient("bias"), fusedCtx.gradient("bias"));
                }
            }
        }
    }

    @Test
    void unknownActivationListsTheChoices() {
        AttributeException e = assertThrows(AttributeException.class,
                () -> layer("dense", Map.of("units", 3, "activation", "swish"), 4));
        assertTrue(e.getMessage().contains("'swish'") && e.getMessage().contains("'activation'")
                && e.getMessage().contains("relu") && e.getMessage().contains("none"), e.getMessage());
    }

    @Test
    void storesWeightAsUnitsByFanInLikePyTorch() {
        Layer dense = layer("dense", Map.of("units", 5), 17);
        assertEquals(Shape.of(5), dense.outputShape());
        assertEquals(java.util.List.of("weight", "bias"), java.util.List.copyOf(dense.parameters().keySet()));
        assertEquals(Shape.of(5, 17), dense.parameters().get("weight").shape());
        assertEquals(Shape.of(5), dense.parameters().get("bias").shape());
        assertEquals(java.util.List.of("weight"), java.util.List.copyOf(
                layer("dense", Map.of("units", 5, "use_bias", false), 17).parameters().keySet()));
    }

    @Test
    void forwardIsXTimesWTransposedPlusBias() {
        Layer dense = layer("dense", Map.of("units", 2), 3);
        dense.parameters().get("weight").copyFrom(Tensor.of(new float[] {1, 2, 3, -1, 0, 1}, 2, 3));
        dense.parameters().get("bias").copyFrom(Tensor.of(new float[] {0.5f, -2}, 2));
        Tensor y = dense.forward(Tensor.of(new float[] {1, 1, 1, 2, 0, -1}, 2, 3), TestLayerContext.inference(KERNELS));
        TensorAsserts.assertBitwiseEqual("Y", Tensor.of(new float[] {6.5f, -2, -0.5f, -5}, 2, 2), y);
    }

    @Test
    void defaultInitIsPyTorchsUniformFanIn() {
        Layer dense = layer("dense", Map.of("units", 64), 25);
        float bound = 1f / 5f;
        for (String p : new String[] {"weight", "bias"}) {
            Tensor t = dense.parameters().get(p);
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int i = 0; i < t.size(); i++) {
                min = Math.min(min, t.data()[i]);
                max = Math.max(max, t.data()[i]);
            }
            assertTrue(min >= -bound && max <= bound && max - min > bound, p + " in [" + min + ", " + max + "]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"he_normal, 0.0707107", "glorot_normal, 0.0632456", "lecun_normal, 0.05", "he_uniform, 0.0707107",
            "glorot_uniform, 0.0632456"})
    void initSchemesHaveTheirStandardDeviation(String init, double expectedStd) {
        Layer dense = layer("dense", Map.of("units", 100, "init", init), 400);
        Tensor w = dense.parameters().get("weight");
        double sq = 0;
        for (int i = 0; i < w.size(); i++) sq += (double) w.data()[i] * w.data()[i];
        double std = Math.sqrt(sq / w.size());
        assertEquals(expectedStd, std, expectedStd * 0.03, init);
        Tensor b = dense.parameters().get("bias");
        assertEquals(0f, KERNELS.sumSquares(b.data(), b.size()), "bias starts at zero with " + init);
    }

    @Test
    void constantInitFillsWeightAndBiasWithTheGivenValues() {
        Layer dense = layer("dense", Map.of("units", 2, "init", "constant", "weight_value", 0.25, "bias_value", 0.35), 3);
        TensorAsserts.assertBitwiseEqual("weight", Tensor.of(new float[] {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f}, 2, 3),
                dense.parameters().get("weight"));
        TensorAsserts.assertBitwiseEqual("bias", Tensor.of(new float[] {0.35f, 0.35f}, 2), dense.parameters().get("bias"));
    }

    @Test
    void zerosInitStartsEverythingAtZero() {
        Layer dense = layer("dense", Map.of("units", 4, "init", "zeros"), 5);
        for (Tensor t : dense.parameters().values()) assertEquals(0f, KERNELS.sumSquares(t.data(), t.size()));
    }

    @Test
    void constantValuesWithAnotherInitAreRefusedNamingTheFix() {
        AttributeException e = assertThrows(AttributeException.class,
                () -> layer("dense", Map.of("units", 2, "bias_value", 0.35), 3));
        assertTrue(e.getMessage().contains("bias_value 0.35") && e.getMessage().contains("uniform_fan_in")
                && e.getMessage().contains("\"init\": \"constant\""), e.getMessage());
    }

    @Test
    void anotherSeedGivesOtherWeights() {
        var f = dev.propel.standard.Standard.PROPEL.layerFactory("dense");
        Tensor a = dev.propel.testkit.TestLayers.create(f, Map.of("units", 4), Shape.of(6), 1).parameters().get("weight");
        Tensor c = dev.propel.testkit.TestLayers.create(f, Map.of("units", 4), Shape.of(6), 2).parameters().get("weight");
        assertNotEquals(a.data()[0], c.data()[0]);
    }

    /**
     * A [T, F] input is T rows of one dense layer with the same weights (PyTorch's Linear over the last
     * axis): the same bits as the rank-1 layer on the rows, forward and backward.
     */
    @Test
    void aSequenceInputIsMappedOverItsLastAxisRowByRow() {
        Layer seq = layer("dense", Map.of("units", 5, "activation", "tanh"), 3, 4, 7);
        Layer rows = layer("dense", Map.of("units", 5, "activation", "tanh"), 7);
        assertEquals(Shape.of(3, 4, 5), seq.outputShape());
        seq.parameters().forEach((k, v) -> rows.parameters().get(k).copyFrom(v));
        Tensor x = RandomTensors.normal(new SplittableRandom(3), 2, 3, 4, 7);
        Tensor dy = RandomTensors.normal(new SplittableRandom(4), 2, 3, 4, 5);
        TestLayerContext a = TestLayerContext.training(seq, KERNELS);
        TestLayerContext b = TestLayerContext.training(rows, KERNELS);
        Tensor ya = seq.forward(x, a);
        Tensor yb = rows.forward(x.reshape(24, 7), b);
        TensorAsserts.assertBitwiseEqual("output", yb, ya.reshape(24, 5));
        Tensor dxa = seq.backward(dy, a);
        Tensor dxb = rows.backward(dy.reshape(24, 5), b);
        assertEquals(x.shape(), dxa.shape());
        TensorAsserts.assertBitwiseEqual("input gradient", dxb, dxa.reshape(24, 7));
        for (String p : seq.parameters().keySet()) TensorAsserts.assertBitwiseEqual(p, b.gradient(p), a.gradient(p));
    }
}
