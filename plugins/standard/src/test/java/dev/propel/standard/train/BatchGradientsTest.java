package dev.propel.standard.train;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.kernel.VectorKernels;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;
import dev.propel.train.BatchGradients;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingDivergedException;
import dev.propel.train.TrainingHistory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer's gradient-source hook: a source that computes what the trainer would gives the same run, bit for bit. */
class BatchGradientsTest {
    private static final Propel PROPEL = Propel.builder().kernels(new VectorKernels(1)).build();

    @AfterAll
    static void close() {
        PROPEL.close();
    }

    /** Computes each batch's gradients on a twin model that receives the trainer's weights: a one-worker "cluster". */
    static final class TwinGradients implements BatchGradients {
        boolean closed;
        int steps;
        float nanAtStep = -1;

        @Override
        public Steps open(Model model, Dataset train) {
            Model twin = PROPEL.build(model.spec(), 0);
            ModelSession session = twin.trainingSession(0);
            int f = train.featureShape().size();
            int t = train.targets().rowSize();
            return new Steps() {
                @Override
                public Result compute(List<Parameter> parameters, int[] order, int start, int count) {
                    steps++;
                    List<Parameter> mine = session.parameters();
                    for (int i = 0; i < mine.size(); i++) mine.get(i).value().copyFrom(parameters.get(i).value());
                    float[] x = new float[count * f];
                    float[] y = new float[count * t];
                    int[] labels = new int[count];
                    train.copyRows(order, start, count, x, y, labels);
                    Tensor out = session.forward(Tensor.wrap(x, train.featureShape().withBatch(count)));
                    Tensor g = Tensor.zeros(count, t);
                    float loss = twin.loss().compute(out, Tensor.wrap(y, Shape.of(count, t)), g, twin.kernels());
                    int[] predicted = new int[count];
                    twin.kernels().argmaxRows(out.data(), count, t, predicted);
                    long correct = 0;
                    for (int i = 0; i < count; i++) if (predicted[i] == labels[i]) correct++;
                    session.zeroGradients();
                    session.backward(g);
                    for (int i = 0; i < mine.size(); i++) parameters.get(i).gradient().copyFrom(mine.get(i).gradient());
                    return new Result(steps == nanAtStep ? Float.NaN : loss, correct);
                }

                @Override
                public void close() {
                    closed = true;
                }
            };
        }
    }

    private static float[] weights(Model m) {
        return m.parameters().get("dense_0.weight").data().clone();
    }

    @Test
    void aSourceComputingWhatTheTrainerWouldGivesTheSameRunBitForBit() {
        Dataset data = TrainerTest.prototypes(300, 20, 3);
        TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(32).seed(4).build();
        Model local = PROPEL.build(TrainerTest.mlp(20, 16, 0.0), 5);
        TrainingHistory expected = new Trainer(config).fit(local, PROPEL.optimizer("adam", Map.of("learning_rate", 0.01)), data, data);
        Model remote = PROPEL.build(TrainerTest.mlp(20, 16, 0.0), 5);
        TwinGradients source = new TwinGradients();
        TrainingHistory actual = new Trainer(config, source).fit(remote, PROPEL.optimizer("adam", Map.of("learning_rate", 0.01)), data, data);
        assertArrayEquals(weights(local), weights(remote));
        assertEquals(expected.last().trainLoss(), actual.last().trainLoss());
        assertEquals(expected.last().trainAccuracy(), actual.last().trainAccuracy());
        assertEquals(2 * 10, source.steps);
        assertTrue(source.closed, "the trainer closes the steps when the run ends");
    }

    @Test
    void aNonFiniteLossFromTheSourceStopsTheRunNamingTheBatchAndClosesTheSteps() {
        Dataset data = TrainerTest.prototypes(100, 20, 3);
        TwinGradients source = new TwinGradients();
        source.nanAtStep = 2;
        TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(32).seed(4).build();
        var e = assertThrows(TrainingDivergedException.class, () -> new Trainer(config, source)
                .fit(PROPEL.build(TrainerTest.mlp(20, 16, 0.0), 5), PROPEL.optimizer("sgd", Map.of("learning_rate", 0.1)), data, null));
        assertTrue(e.getMessage().contains("epoch 1, batch 1"), e.getMessage());
        assertTrue(source.closed);
    }
}
