package dev.propel.standard.layer;

import dev.propel.spi.AttributeException;
import dev.propel.spi.Layer;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.testing.GradientCheck;
import dev.propel.testing.RandomTensors;
import dev.propel.testing.TensorAsserts;
import dev.propel.testing.TestLayerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.propel.standard.Standard.KERNELS;
import static dev.propel.standard.Standard.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationsTest {

    static Stream<Arguments> activations() {
        return Stream.of(
                Arguments.of("sigmoid", Map.of()),
                Arguments.of("tanh", Map.of()),
                Arguments.of("relu", Map.of()),
                Arguments.of("leaky_relu", Map.of()),
                Arguments.of("leaky_relu", Map.of("negative_slope", 0.2)),
                Arguments.of("gelu", Map.of()),
                Arguments.of("gelu", Map.of("approximate", "tanh")),
                Arguments.of("softmax", Map.of()));
    }

    /** Inputs keep 0.05 away from 0, farther than the finite-difference step, because of the ReLU kinks. */
    private static Tensor input(long seed, int... dims) {
        return RandomTensors.awayFromZero(new SplittableRandom(seed), 0.05f, 2.5f, dims);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("activations")
    void gradientsMatchFiniteDifferences(String type, Map<String, ?> attributes) {
        GradientCheck.layer(layer(type, attributes, 17), input(1, 3, 17), KERNELS).run();
        GradientCheck.layer(layer(type, attributes, 1), input(2, 1, 1), KERNELS).run();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("activations")
    void workOnRank3InputsAndKeepTheShape(String type, Map<String, ?> attributes) {
        Layer a = layer(type, attributes, 3, 5);
        assertEquals(Shape.of(3, 5), a.outputShape());
        Tensor y = a.forward(input(3, 2, 3, 5), TestLayerContext.inference(KERNELS));
        assertEquals(Shape.of(2, 3, 5), y.shape());
        GradientCheck.layer(a, input(4, 2, 3, 5), KERNELS).run();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("activations")
    void skipTheInputGradientWhenNotNeeded(String type, Map<String, ?> attributes) {
        Layer a = layer(type, attributes, 17);
        TestLayerContext ctx = TestLayerContext.training(a, KERNELS).needsInputGradient(false);
        a.forward(input(5, 3, 17), ctx);
        assertNull(a.backward(RandomTensors.normal(new SplittableRandom(6), 3, 17), ctx));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("activations")
    void steadyStateStepsAllocateNoBuffers(String type, Map<String, ?> attributes) {
        Layer a = layer(type, attributes, 17);
        Tensor x = input(7, 3, 17);
        Tensor dy = RandomTensors.normal(new SplittableRandom(8), 3, 17);
        TestLayerContext ctx = TestLayerContext.training(a, KERNELS);
        a.forward(x, ctx);
        a.backward(dy, ctx);
        int allocations = ctx.allocations();
        a.forward(x, ctx);
        a.backward(dy, ctx);
        assertEquals(allocations, ctx.allocations());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("activations")
    void rejectInputsOfAnotherShape(String type, Map<String, ?> attributes) {
        Layer a = layer(type, attributes, 17);
        ShapeException e = assertThrows(ShapeException.class,
                () -> a.forward(Tensor.zeros(3, 16), TestLayerContext.inference(KERNELS)));
        assertTrue(e.getMessage().contains(type + "_0") && e.getMessage().contains("[batch, 17]")
                && e.getMessage().contains("[3, 16]"), e.getMessage());
    }

    @Test
    void softmaxNormalisesTheLastAxisOnly() {
        Layer s = layer("softmax", Map.of(), 2, 3);
        Tensor y = s.forward(Tensor.of(new float[] {0, 0, 0, 1, 1, 1, 0, 0, 1000, 5, 5, 5}, 2, 2, 3),
                TestLayerContext.inference(KERNELS));
        float third = 1f / 3f;
        TensorAsserts.assertClose("softmax", Tensor.of(new float[] {third, third, third, third, third, third,
                0, 0, 1, third, third, third}, 2, 2, 3), y, 1e-6, 1e-7);
    }

    @Test
    void leakyReluDefaultSlopeIsPyTorchs() {
        Layer l = layer("leaky_relu", Map.of(), 2);
        Tensor y = l.forward(Tensor.of(new float[] {-2, 3}, 1, 2), TestLayerContext.inference(KERNELS));
        TensorAsserts.assertBitwiseEqual("leaky_relu", Tensor.of(new float[] {-0.02f, 3}, 1, 2), y);
    }

    @Test
    void geluApproximateMustBeNoneOrTanh() {
        AttributeException e = assertThrows(AttributeException.class,
                () -> layer("gelu", Map.of("approximate", "sigmoid"), 4));
        assertTrue(e.getMessage().contains("'approximate'") && e.getMessage().contains("[none, tanh]")
                && e.getMessage().contains("'sigmoid'"), e.getMessage());
    }

    @Test
    void leakyReluSlopeMustNotBeNegative() {
        AttributeException e = assertThrows(AttributeException.class,
                () -> layer("leaky_relu", Map.of("negative_slope", -0.1), 4));
        assertTrue(e.getMessage().contains("'negative_slope'") && e.getMessage().contains(">= 0"), e.getMessage());
    }

    @Test
    void parameterFreeActivationsRejectAnyAttribute() {
        AttributeException e = assertThrows(AttributeException.class, () -> layer("relu", Map.of("alpha", 0.1), 4));
        assertTrue(e.getMessage().contains("'alpha'") && e.getMessage().contains("none"), e.getMessage());
    }
}
