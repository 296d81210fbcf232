package dev.propel.standard.optim;

import dev.propel.spi.Optimizer;
import dev.propel.spi.Parameter;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.RandomTensors;
import dev.propel.testkit.TensorAsserts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.propel.standard.Standard.KERNELS;
import static dev.propel.standard.Standard.optimizer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizersTest {

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", Map.of("weight_decay", 0.01), List.of()),
                Arguments.of("momentum", Map.of("nesterov", true, "weight_decay", 0.01), List.of("velocity")),
                Arguments.of("rmsprop", Map.of("weight_decay", 0.01), List.of("square_avg")),
                Arguments.of("adagrad", Map.of(), List.of("sum_squares")),
                Arguments.of("adam", Map.of("weight_decay", 0.01), List.of("m", "v")),
                Arguments.of("adamw", Map.of(), List.of("m", "v")));
    }

    /** Two parameters like a dense layer's, and a fixed gradient sequence. */
    private static final class Problem {
        final List<Parameter> params = new ArrayList<>();
        final List<List<Tensor>> gradients = new ArrayList<>();

        Problem(int steps) {
            SplittableRandom rng = new SplittableRandom(5);
            params.add(new Parameter("dense_0.weight", RandomTensors.normal(rng, 3, 17), Tensor.zeros(3, 17)));
            params.add(new Parameter("dense_0.bias", RandomTensors.normal(rng, 3), Tensor.zeros(3)));
            for (int s = 0; s < steps; s++) {
                gradients.add(List.of(RandomTensors.normal(rng, 3, 17), RandomTensors.normal(rng, 3)));
            }
        }

        void step(Optimizer o, int s) {
            for (int i = 0; i < params.size(); i++) params.get(i).gradient().copyFrom(gradients.get(s).get(i));
            o.step(params, o.learningRate(), KERNELS);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("optimizers")
    void stateIsNamedByParameterAndSlotAndAllocatedLazily(String type, Map<String, ?> attributes, List<String> slots) {
        Optimizer o = optimizer(type, attributes);
        assertTrue(o.state().isEmpty());
        new Problem(1).step(o, 0);
        List<String> expected = new ArrayList<>();
        for (String p : List.of("dense_0.weight", "dense_0.bias")) for (String s : slots) expected.add(p + "/" + s);
        assertEquals(expected, List.copyOf(o.state().keySet()));
        for (String s : slots) assertEquals(dev.propel.tensor.Shape.of(3, 17), o.state().get("dense_0.weight/" + s).shape());
    }

    @Test
    void loadStateRejectsAnUnknownSlotListingTheValidOnes() {
        Optimizer adam = optimizer("adam", Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.loadState(Map.of("dense_0.weight/velocity", Tensor.zeros(2)), 1));
        assertTrue(e.getMessage().contains("'dense_0.weight/velocity'") && e.getMessage().contains("[m, v]"), e.getMessage());
    }

    @Test
    void loadStateRejectsAParameterWithMissingSlots() {
        Optimizer adam = optimizer("adam", Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.loadState(Map.of("dense_0.weight/m", Tensor.zeros(2)), 1));
        assertTrue(e.getMessage().contains("'dense_0.weight'") && e.getMessage().contains("[v]"), e.getMessage());
    }

    @Test
    void loadStateRejectsStateForSgdAndNegativeStepCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> optimizer("sgd", Map.of()).loadState(Map.of("w/m", Tensor.zeros(1)), 1));
        assertTrue(e.getMessage().contains("sgd keeps no state"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> optimizer("adam", Map.of()).loadState(Map.of(), -1));
        assertTrue(e.getMessage().contains(">= 0") && e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void stateOfTheWrongShapeIsReportedAtTheNextStepBeforeAnythingChanges() {
        Optimizer momentum = optimizer("momentum", Map.of());
        momentum.loadState(Map.of("dense_0.weight/velocity", Tensor.zeros(17, 3), "dense_0.bias/velocity", Tensor.zeros(3)), 4);
        Problem p = new Problem(1);
        Tensor bias = p.params.get(1).value().copy();
        ShapeException e = assertThrows(ShapeException.class, () -> p.step(momentum, 0));
        assertTrue(e.getMessage().contains("'dense_0.weight/velocity'") && e.getMessage().contains("[17, 3]")
                && e.getMessage().contains("[3, 17]") && e.getMessage().contains("different model"), e.getMessage());
        assertEquals(4, momentum.stepCount());
        TensorAsserts.assertBitwiseEqual("untouched bias", bias, p.params.get(1).value());
    }

    @Test
    void theScheduledLearningRateIsUsedNotTheConfiguredOne() {
        Problem a = new Problem(1);
        Problem b = new Problem(1);
        Optimizer fast = optimizer("sgd", Map.of("learning_rate", 0.5));
        Optimizer slow = optimizer("sgd", Map.of("learning_rate", 0.1));
        a.step(fast, 0);
        b.params.get(0).gradient().copyFrom(b.gradients.get(0).get(0));
        b.params.get(1).gradient().copyFrom(b.gradients.get(0).get(1));
        slow.step(b.params, 0.5f, KERNELS);
        TensorAsserts.assertBitwiseEqual("weight", a.params.get(0).value(), b.params.get(0).value());
    }

    @Test
    void defaultsFollowPyTorch() {
        assertEquals(Map.of("learning_rate", 0.01f, "weight_decay", 0f), optimizer("sgd", Map.of()).attributes().asMap());
        assertEquals(Map.of("learning_rate", 0.01f, "momentum", 0.9f, "nesterov", false, "weight_decay", 0f),
                optimizer("momentum", Map.of()).attributes().asMap());
        assertEquals(Map.of("learning_rate", 0.01f, "alpha", 0.99f, "eps", 1e-8f, "weight_decay", 0f),
                optimizer("rmsprop", Map.of()).attributes().asMap());
        assertEquals(Map.of("learning_rate", 0.01f, "eps", 1e-10f, "weight_decay", 0f),
                optimizer("adagrad", Map.of()).attributes().asMap());
        assertEquals(Map.of("learning_rate", 1e-3f, "beta1", 0.9f, "beta2", 0.999f, "eps", 1e-8f, "weight_decay", 0f),
                optimizer("adam", Map.of()).attributes().asMap());
        assertEquals(0.01f, optimizer("adamw", Map.of()).attributes().getFloat("weight_decay"));
        assertEquals(1e-3f, optimizer("adamw", Map.of()).learningRate());
    }

    @Test
    void adamAndAdamWDifferOnlyWithWeightDecay() {
        Problem a = new Problem(3);
        Problem w = new Problem(3);
        Optimizer adam = optimizer("adam", Map.of("weight_decay", 0.1, "learning_rate", 0.01));
        Optimizer adamw = optimizer("adamw", Map.of("weight_decay", 0.1, "learning_rate", 0.01));
        for (int s = 0; s < 3; s++) {
            a.step(adam, s);
            w.step(adamw, s);
        }
        assertNotEquals(a.params.get(0).value().data()[0], w.params.get(0).value().data()[0]);
        Problem a0 = new Problem(3);
        Problem w0 = new Problem(3);
        Optimizer adam0 = optimizer("adam", Map.of());
        Optimizer adamw0 = optimizer("adamw", Map.of("weight_decay", 0));
        for (int s = 0; s < 3; s++) {
            a0.step(adam0, s);
            w0.step(adamw0, s);
        }
        TensorAsserts.assertBitwiseEqual("no decay", a0.params.get(0).value(), w0.params.get(0).value());
    }
}
