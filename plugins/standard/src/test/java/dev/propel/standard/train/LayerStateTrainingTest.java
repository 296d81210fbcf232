package dev.propel.standard.train;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.model.ModelSpec;
import dev.propel.spi.Optimizer;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.RandomTensors;
import dev.propel.testkit.TensorAsserts;
import dev.propel.testkit.Testkit;
import dev.propel.train.EarlyStopping;
import dev.propel.train.EpochMetrics;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import dev.propel.train.TrainingListener;
import dev.propel.train.TrainingRun;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Layer state in training: optimizers never touch it, and early stopping restores the state of the best
 * epoch along with its weights. The state comes from the testkit's {@code testkit_center} (a running
 * mean updated in every training forward pass).
 */
class LayerStateTrainingTest {
    private static final Propel PROPEL = Testkit.propel();

    private static ModelSpec centeredMlp(int dims, int hidden) {
        return ModelSpec.builder().input(dims)
                .layer("dense", Map.of("units", hidden)).layer("testkit_center", Map.of("momentum", 0.5)).layer("relu")
                .layer("dense", Map.of("units", 10))
                .loss("cross_entropy").build();
    }

    private static Map<String, Tensor> copies(Map<String, Tensor> tensors) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        tensors.forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }

    private static void assertSame(String what, Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertTrue(expected.keySet().equals(actual.keySet()), what + ": " + expected.keySet() + " vs " + actual.keySet());
        expected.forEach((k, v) -> TensorAsserts.assertBitwiseEqual(what + " '" + k + "'", v, actual.get(k)));
    }

    @Test
    void anOptimizerStepWithWeightDecayLeavesLayerStateAlone() {
        Model model = PROPEL.build(centeredMlp(12, 9), 3);
        assertFalse(model.state().isEmpty());
        ModelSession session = model.trainingSession(4);
        SplittableRandom rng = new SplittableRandom(5);
        Tensor x = RandomTensors.normal(rng, 6, 12);
        Tensor targets = RandomTensors.oneHot(rng, 6, 10);
        Tensor prediction = session.forward(x);
        Tensor gradient = Tensor.zeros(prediction.shape());
        model.loss().compute(prediction, targets, gradient, model.kernels());
        session.zeroGradients();
        session.backward(gradient);
        Map<String, Tensor> state = copies(model.state());
        Map<String, Tensor> weights = copies(model.parameters());
        for (Parameter p : session.parameters()) {
            assertFalse(model.state().containsValue(p.value()), "state tensor handed to the optimizer as " + p.name());
        }
        for (String type : List.of("adamw", "sgd")) {
            Optimizer optimizer = PROPEL.optimizer(type, Map.of("learning_rate", 0.1, "weight_decay", 0.5));
            optimizer.step(session.parameters(), 0.1f, model.kernels());
            assertSame("state after a " + type + " step", state, model.state());
        }
        assertFalse(Arrays.equals(weights.get("dense_0.weight").toArray(), model.parameters().get("dense_0.weight").toArray()),
                "the steps should have moved the weights");
    }

    @Test
    void earlyStoppingRestoresTheStateOfTheBestEpoch() {
        // Memorising random labels with a big network: validation loss soon rises, so the best epoch is an early one.
        Dataset train = TrainerTest.randomLabels(TrainerTest.prototypes(40, 30, 9));
        Dataset val = TrainerTest.randomLabels(TrainerTest.prototypes(200, 30, 10));
        Model model = PROPEL.build(centeredMlp(30, 256), 2);
        List<Map<String, Tensor>> stateByEpoch = new ArrayList<>();
        List<Map<String, Tensor>> weightsByEpoch = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingRun run, EpochMetrics metrics) {
                stateByEpoch.add(copies(run.model().state()));
                weightsByEpoch.add(copies(run.model().parameters()));
            }
        };
        EarlyStopping stop = new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, 2, 0f, true);
        TrainingHistory h = new Trainer(TrainingConfig.builder().epochs(60).batchSize(8).listener(recorder).listener(stop).build())
                .fit(model, PROPEL.optimizer("adam", Map.of("learning_rate", 0.01)), train, val);
        assertTrue(h.stopReason().startsWith("early stopping"), h.stopReason());
        int best = stop.bestEpoch() - 1;
        assertTrue(best < stateByEpoch.size() - 1, "the best epoch should not be the last one");
        Map<String, Tensor> last = stateByEpoch.getLast();
        String name = "testkit_center_1.running_mean";
        assertFalse(Arrays.equals(stateByEpoch.get(best).get(name).toArray(), last.get(name).toArray()),
                "the state should have moved after the best epoch, or this test proves nothing");
        assertSame("state restored by early stopping", stateByEpoch.get(best), model.state());
        assertSame("weights restored by early stopping", weightsByEpoch.get(best), model.parameters());
    }
}
