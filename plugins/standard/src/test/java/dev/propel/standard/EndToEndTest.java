package dev.propel.standard;

import dev.propel.data.Dataset;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.spi.AttributeException;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.train.Evaluation;
import dev.propel.train.Evaluator;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plugin through the whole SPI: spec → registry → model → trainer → optimizer → evaluation. */
class EndToEndTest {

    /** Three Gaussian blobs in 4-D, centred at ±2 on different axes: linearly separable in practice. */
    private static Dataset blobs(String name, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] centres = {{2, 0, -2, 0}, {-2, 2, 0, 0}, {0, -2, 2, 1}};
        Tensor x = Tensor.zeros(n, 4);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(3);
            for (int j = 0; j < 4; j++) x.data()[i * 4 + j] = centres[labels[i]][j] + (float) (rng.nextGaussian() * 0.7);
        }
        return Dataset.classification(name, x, labels, 3);
    }

    @Test
    void trainsAClassifierBuiltFromASpec() {
        ModelSpec spec = ModelSpec.builder()
                .input(4)
                .layer("dense", Map.of("units", 8))
                .layer("relu")
                .layer("dense", Map.of("units", 3))
                .loss("cross_entropy")
                .build();
        Model model = Standard.PROPEL.build(spec, 42);
        assertEquals(4 * 8 + 8 + 8 * 3 + 3, model.parameterCount());
        Optimizer adam = Standard.PROPEL.optimizer("adam", Map.of("learning_rate", 0.02));
        Dataset train = blobs("blobs/train", 300, 1);
        Dataset test = blobs("blobs/test", 150, 2);
        float before = Evaluator.evaluate(model, test).loss();

        TrainingHistory history = new Trainer(TrainingConfig.builder().epochs(12).batchSize(16).seed(3).build())
                .fit(model, adam, train, null);

        float first = history.epochs().getFirst().trainLoss();
        float last = history.last().trainLoss();
        assertTrue(last < 0.5f * first, "training loss should at least halve: " + first + " -> " + last);
        Evaluation after = Evaluator.evaluate(model, test);
        assertTrue(after.loss() < 0.3f * before, "test loss " + before + " -> " + after.loss());
        assertTrue(after.accuracy() >= 0.95f, "test accuracy " + after.accuracy());
        assertEquals(12L * (300 / 16 + 1), adam.stepCount());
        assertTrue(adam.state().containsKey("dense_0.weight/m") && adam.state().containsKey("dense_2.bias/v"),
                adam.state().keySet().toString());
    }

    @Test
    void trainsARegressionWithDropoutAndMse() {
        // y = 3·x0 − 2·x1 + 0.5 through dense 16 → tanh → dropout → dense 1 with momentum SGD.
        SplittableRandom rng = new SplittableRandom(9);
        int n = 256;
        Tensor x = Tensor.zeros(n, 2);
        Tensor y = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            float a = (float) rng.nextDouble(-1, 1);
            float b = (float) rng.nextDouble(-1, 1);
            x.data()[2 * i] = a;
            x.data()[2 * i + 1] = b;
            y.data()[i] = 3 * a - 2 * b + 0.5f;
        }
        Dataset data = Dataset.regression("linear", x, y);
        ModelSpec spec = ModelSpec.builder().input(2)
                .layer("dense", Map.of("units", 16, "init", "glorot_uniform"))
                .layer("tanh")
                .layer("dropout", Map.of("rate", 0.1))
                .layer("dense", Map.of("units", 1))
                .loss("mse")
                .build();
        Model model = Standard.PROPEL.build(spec, 5);
        float before = Evaluator.evaluate(model, data).loss();
        new Trainer(TrainingConfig.builder().epochs(30).batchSize(32).seed(1).build())
                .fit(model, Standard.PROPEL.optimizer("momentum", Map.of("learning_rate", 0.05)), data, null);
        float after = Evaluator.evaluate(model, data).loss();
        assertTrue(after < 0.05f * before, "mse " + before + " -> " + after);
    }

    @Test
    void specErrorsNameTheLayerAndTheShapes() {
        ModelSpec flat = ModelSpec.builder().input(20).layer("lstm", Map.of("hidden_size", 3)).loss("mse").build();
        ShapeException e = assertThrows(ShapeException.class, () -> Standard.PROPEL.build(flat, 1));
        assertTrue(e.getMessage().contains("lstm_0") && e.getMessage().contains("[20]")
                && e.getMessage().contains("[T, F]"), e.getMessage());
        ModelSpec typo = ModelSpec.builder().input(4).layer("dropout", Map.of("p", 0.5)).loss("mse").build();
        AttributeException a = assertThrows(AttributeException.class, () -> Standard.PROPEL.build(typo, 1));
        assertTrue(a.getMessage().contains("dropout_0") && a.getMessage().contains("'p'")
                && a.getMessage().contains("rate"), a.getMessage());
    }
}
