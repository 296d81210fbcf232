package dev.propel.standard.layer;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelSession;
import dev.propel.model.ModelSpec;
import dev.propel.model.SavedModel;
import dev.propel.spi.Layer;
import dev.propel.spi.Optimizer;
import dev.propel.standard.Standard;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.TestLayerContext;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.propel.model.testplugin.SavedModelAssert.assertSameTensors;
import static dev.propel.model.testplugin.SavedModelAssert.rawBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the contracts and the PyTorch fixtures do not show about rnn, lstm and gru: hand-checked values,
 * PyTorch's parameter names and order, steady-state allocation, the same bits at any thread count, and
 * models with stacked, bidirectional recurrent layers through a .pb file.
 */
class RecurrentTest {

    /** A one-unit tanh RNN with weights set by hand: h_t = tanh(0.5·x_t + 0.1 + 0.8·h_(t−1) + 0.2), h_0 = 0. */
    @Test
    void aOneUnitRnnByHand() {
        Layer rnn = Standard.layer("rnn", Map.of("hidden_size", 1, "return_sequences", true), 2, 1);
        rnn.parameters().get("weight_ih_l0").data()[0] = 0.5f;
        rnn.parameters().get("weight_hh_l0").data()[0] = 0.8f;
        rnn.parameters().get("bias_ih_l0").data()[0] = 0.1f;
        rnn.parameters().get("bias_hh_l0").data()[0] = 0.2f;
        Tensor y = rnn.forward(Tensor.of(new float[] {1f, 2f}, 1, 2, 1), TestLayerContext.inference(Standard.KERNELS));
        double h1 = Math.tanh(0.5 + 0.1 + 0.2);
        double h2 = Math.tanh(0.5 * 2 + 0.1 + 0.8 * h1 + 0.2);
        assertEquals(h1, y.data()[0], 1e-6);
        assertEquals(h2, y.data()[1], 1e-6);
    }

    @Test
    void parametersAreNamedAndOrderedAsPyTorchsStateDict() {
        Layer lstm = Standard.layer("lstm", Map.of("hidden_size", 3, "num_layers", 2, "bidirectional", true), 4, 5);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                List.copyOf(lstm.parameters().keySet()));
        assertArrayEquals(new int[] {12, 5}, lstm.parameters().get("weight_ih_l0").shape().dims());
        assertArrayEquals(new int[] {12, 6}, lstm.parameters().get("weight_ih_l1").shape().dims(), "layer 1 reads both directions");
        assertArrayEquals(new int[] {12, 3}, lstm.parameters().get("weight_hh_l1_reverse").shape().dims());
        assertArrayEquals(new int[] {6}, lstm.outputShape().dims());
        Layer gru = Standard.layer("gru", Map.of("hidden_size", 4, "bias", false, "return_sequences", true), 7, 2);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(gru.parameters().keySet()));
        assertArrayEquals(new int[] {7, 4}, gru.outputShape().dims());
    }

    /** PyTorch's init: every value within ±1/√H, and not all on one side. */
    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void initialValuesAreUniformWithinOneOverRootH(String type) {
        Layer layer = Standard.layer(type, Map.of("hidden_size", 16), 3, 40);
        float bound = 0.25f;
        for (var e : layer.parameters().entrySet()) {
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (float v : e.getValue().data()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(min >= -bound && max <= bound, e.getKey() + " in [" + min + ", " + max + "]");
            assertTrue(min < -bound / 2 && max > bound / 2, e.getKey() + " spreads over the range: [" + min + ", " + max + "]");
        }
    }

    static Dataset sequences(int n, int steps, int features, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * steps * features];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
            for (int j = 0; j < steps * features; j++) {
                x[i * steps * features + j] = (float) (r.nextGaussian() + (j % classes == y[i] ? 1.0 : 0));
            }
        }
        return Dataset.classification("sequences", Tensor.of(x, n, steps, features), y, classes);
    }

    static ModelSpec stacked() {
        return ModelSpec.builder().input(6, 4)
                .layer("lstm", Map.of("hidden_size", 5, "num_layers", 2, "bidirectional", true, "return_sequences", true))
                .layer("gru", Map.of("hidden_size", 7, "return_sequences", true))
                .layer("rnn", Map.of("hidden_size", 6, "nonlinearity", "relu", "bidirectional", true))
                .layer("dense", Map.of("units", 3))
                .loss("cross_entropy", Map.of())
                .optimizer("adam", Map.of("learning_rate", 0.01))
                .build();
    }

    private static Model trained(int threads) {
        try (Propel propel = Propel.builder().threads(threads).build()) {
            Model model = propel.build(stacked(), 5);
            Optimizer adam = propel.optimizer("adam", Map.of("learning_rate", 0.01));
            new Trainer(TrainingConfig.builder().epochs(2).batchSize(16).seed(3).build())
                    .fit(model, adam, sequences(80, 6, 4, 3, 9), null);
            return model;
        }
    }

    @Test
    void trainingGivesTheSameBitsOnOneAndTwoThreads() {
        assertSameTensors(trained(1).parameters(), trained(2).parameters(), "parameters after 2 epochs");
    }

    /**
     * Batches large enough that the samples are split over the kernel threads (each thread takes its own samples
     * through every step, the weight-gradient products split by rows): the same bits as one thread, for each cell.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn"})
    void cellsSplitOverTwoThreadsGiveTheSameBits(String type) {
        assertSameTensors(trainedWide(type, 1).parameters(), trainedWide(type, 2).parameters(), type + " parameters after an epoch");
    }

    private static Model trainedWide(String type, int threads) {
        ModelSpec spec = ModelSpec.builder().input(3, 4)
                .layer(type, Map.of("hidden_size", 256, "bidirectional", true))
                .layer("dense", Map.of("units", 3))
                .loss("cross_entropy", Map.of())
                .optimizer("adam", Map.of("learning_rate", 0.01))
                .build();
        try (Propel propel = Propel.builder().threads(threads).build()) {
            Model model = propel.build(spec, 5);
            Optimizer adam = propel.optimizer("adam", Map.of("learning_rate", 0.01));
            new Trainer(TrainingConfig.builder().epochs(1).batchSize(128).seed(3).build())
                    .fit(model, adam, sequences(256, 3, 4, 3, 9), null);
            return model;
        }
    }

    @Test
    void stackedBidirectionalModelsSaveLoadAndPredictBitwise(@TempDir Path dir) throws Exception {
        try (Propel propel = Propel.builder().threads(1).build()) {
            Model model = propel.build(stacked(), 5);
            Optimizer adam = propel.optimizer("adam", Map.of("learning_rate", 0.01));
            Dataset data = sequences(48, 6, 4, 3, 9);
            new Trainer(TrainingConfig.builder().epochs(1).batchSize(16).seed(3).build()).fit(model, adam, data, null);
            Path file = dir.resolve("seq.pb");
            ModelFiles.save(SavedModel.builder(propel, model).optimizer(adam, true).build(), file);
            LoadedModel loaded = ModelFiles.load(propel, file);
            assertSameTensors(model.parameters(), loaded.model().parameters(), "parameters");
            assertTrue(loaded.model().parameters().containsKey("lstm_0.weight_hh_l1_reverse"), loaded.model().parameters().keySet().toString());
            assertArrayEquals(rawBits(model.predict(data.features())), rawBits(loaded.model().predict(data.features())));
        }
    }

    /** Forward and BPTT allocate nothing once the layer's buffers exist (scalar kernels: no Vector API boxing before JIT). */
    @Test
    void aTrainingStepInSteadyStateAllocatesNothing() {
        Model model = Standard.PROPEL.build(stacked(), 5);
        ModelSession session = model.trainingSession(1);
        Tensor x = sequences(16, 6, 4, 3, 9).features();
        Tensor grad = Tensor.zeros(16, 3);
        for (int i = 0; i < 3; i++) step(session, x, grad);
        long before = allocatedBytes();
        for (int i = 0; i < 5; i++) step(session, x, grad);
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < 4096, "5 training steps allocated " + allocated + " bytes");
    }

    /** One forward and backward pass with the output as its own gradient (what a step costs, without a loss). */
    static void step(ModelSession session, Tensor x, Tensor grad) {
        session.zeroGradients();
        Tensor y = session.forward(x);
        grad.copyFrom(y);
        session.backward(grad);
    }

    /** Bytes the calling thread has allocated so far. */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().threadId());
    }
}
