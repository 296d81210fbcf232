package dev.propel.standard.layer;

import dev.propel.data.Dataset;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelSession;
import dev.propel.model.ModelSpec;
import dev.propel.model.LayerSpec;
import dev.propel.model.SavedModel;
import dev.propel.spi.Layer;
import dev.propel.spi.Optimizer;
import dev.propel.spi.PropelException;
import dev.propel.standard.Standard;
import dev.propel.standard.loss.SequenceCrossEntropy;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.GradientCheck;
import dev.propel.testkit.RandomTensors;
import dev.propel.testkit.TensorAsserts;
import dev.propel.testkit.TestLayerContext;
import dev.propel.testkit.TestLayers;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static dev.propel.model.testplugin.SavedModelAssert.assertSameTensors;
import static dev.propel.model.testplugin.SavedModelAssert.rawBits;
import static dev.propel.standard.Standard.KERNELS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequence features beyond the contracts and the PyTorch fixtures: a padded batch with lengths against
 * the same sequences run one by one, truncated BPTT by hand, gradient clipping on an LSTM, the errors for
 * bad token ids, lengths and sequences too long for memory, and a token model trained, saved and loaded.
 */
class SequenceTest {
    private static final int T = 6;
    private static final int F = 3;

    private static Layer recurrent(String type, Map<String, Object> attributes, int steps, boolean lengths) {
        List<Shape> shapes = lengths ? List.of(Shape.of(steps, F), Shape.of(1)) : List.of(Shape.of(steps, F));
        return TestLayers.create(Standard.PROPEL.layerFactory(type), attributes, shapes, 7);
    }

    /**
     * pack_padded_sequence semantics: each sample of a padded batch (random values in the padding) gives
     * the outputs, input gradients and parameter gradients of its unpadded sequence run alone.
     */
    @ParameterizedTest
    @CsvSource({"rnn,false,1,true", "rnn,true,2,false", "lstm,false,1,false", "lstm,true,2,true", "lstm,true,1,false",
            "gru,false,2,true", "gru,true,1,false", "gru,true,2,false"})
    void aPaddedBatchGivesWhatTheSequencesGiveOneByOne(String type, boolean bidirectional, int layers, boolean sequences) {
        Map<String, Object> attributes = Map.of("hidden_size", 4, "num_layers", layers, "bidirectional", bidirectional,
                "return_sequences", sequences);
        int[] lengths = {6, 2, 1, 4};
        int batch = lengths.length;
        Layer padded = recurrent(type, attributes, T, true);
        Tensor x = RandomTensors.normal(new SplittableRandom(1), batch, T, F);
        Tensor len = Tensor.zeros(batch, 1);
        for (int b = 0; b < batch; b++) len.data()[b] = lengths[b];
        Tensor dy = RandomTensors.normal(new SplittableRandom(2), padded.outputShape().withBatch(batch).dims());
        TestLayerContext ctx = TestLayerContext.training(padded, KERNELS);
        Tensor y = padded.forward(List.of(x, len), ctx);
        List<Tensor> dxs = padded.backwardInputs(dy, ctx);
        Tensor dx = dxs.get(0);
        TensorAsserts.assertBitwiseEqual("gradient of the lengths", Tensor.zeros(batch, 1), dxs.get(1));

        int width = (bidirectional ? 2 : 1) * 4;
        Map<String, Tensor> summed = new HashMap<>();
        for (int b = 0; b < batch; b++) {
            int l = lengths[b];
            Layer alone = recurrent(type, attributes, l, false);
            padded.parameters().forEach((k, v) -> alone.parameters().get(k).copyFrom(v));
            Tensor xb = Tensor.zeros(1, l, F);
            System.arraycopy(x.data(), b * T * F, xb.data(), 0, l * F);
            Tensor dyb = Tensor.zeros(alone.outputShape().withBatch(1).dims());
            int perSample = dy.size() / batch;
            System.arraycopy(dy.data(), b * perSample, dyb.data(), 0, dyb.size());
            TestLayerContext c = TestLayerContext.training(alone, KERNELS);
            Tensor yb = alone.forward(xb, c);
            Tensor dxb = alone.backward(dyb, c);
            String what = type + " sample " + b + " (length " + l + ")";
            // Outputs: the first L steps as alone, the padded steps zero.
            Tensor expectedY = Tensor.zeros(perSample(y, batch));
            System.arraycopy(yb.data(), 0, expectedY.data(), 0, yb.size());
            TensorAsserts.assertClose(what + " output", expectedY, slice(y, b, batch), 1e-6, 1e-6);
            Tensor expectedDx = Tensor.zeros(T * F);
            System.arraycopy(dxb.data(), 0, expectedDx.data(), 0, dxb.size());
            TensorAsserts.assertClose(what + " input gradient", expectedDx, slice(dx, b, batch), 1e-5, 1e-6);
            for (String p : alone.parameters().keySet()) {
                summed.merge(p, c.gradient(p).copy(), (a, g) -> {
                    KERNELS.add(a.data(), g.data(), a.data(), a.size());
                    return a;
                });
            }
            assertEquals(sequences ? Shape.of(l, width) : Shape.of(width), alone.outputShape());
        }
        for (String p : padded.parameters().keySet()) {
            TensorAsserts.assertClose(type + " gradient of " + p, summed.get(p), ctx.gradient(p), 1e-5, 1e-6);
        }
    }

    private static int perSample(Tensor t, int batch) {
        return t.size() / batch;
    }

    private static Tensor slice(Tensor t, int b, int batch) {
        int n = t.size() / batch;
        Tensor s = Tensor.zeros(n);
        System.arraycopy(t.data(), t.offset() + b * n, s.data(), 0, n);
        return s;
    }

    /** Finite differences through a padded, stacked, bidirectional LSTM with lengths (the lengths not perturbed). */
    @Test
    void gradientsThroughPaddedSequencesMatchFiniteDifferences() {
        Layer layer = recurrent("lstm", Map.of("hidden_size", 3, "num_layers", 2, "bidirectional", true), T, true);
        Tensor x = RandomTensors.normal(new SplittableRandom(5), 3, T, F);
        Tensor len = Tensor.of(new float[] {3, 6, 1}, 3, 1);
        GradientCheck.layer(layer, List.of(x, len), KERNELS).discreteInputs(Set.of(1)).run();
    }

    @Test
    void sequenceLengthsCountsUpToTheLastStepThatIsNotPadding() {
        Layer layer = Standard.layer("sequence_lengths", Map.of(), 4, 2);
        Tensor x = Tensor.of(new float[] {
                1, 2, 0, 0, 0, 0, 0, 0,     // 1
                0, 0, 0, 3, 0, 0, 0, 0,     // 2: a real all-zero step first still counts
                1, 1, 1, 1, 1, 1, 0, 5,     // 4
                0, 0, 0, 0, 0, 0, 0, 0}, 4, 4, 2); // 0
        Tensor y = layer.forward(x, TestLayerContext.inference(KERNELS));
        assertArrayEquals(new float[] {1, 2, 4, 0}, y.data());
    }

    @Test
    void aLengthOutsideOneToTIsAnErrorNamingTheSample() {
        Layer layer = recurrent("gru", Map.of("hidden_size", 2), T, true);
        Tensor x = Tensor.zeros(2, T, F);
        for (float bad : new float[] {0f, 7f, 2.5f}) {
            Tensor len = Tensor.of(new float[] {3, bad}, 2, 1);
            PropelException e = assertThrows(PropelException.class, () -> layer.forward(List.of(x, len), TestLayerContext.inference(KERNELS)));
            assertTrue(e.getMessage().contains("gru_0") && e.getMessage().contains("length " + bad + " of example 1") && e.getMessage().contains("[1, 6]")
                    && e.getMessage().contains("1 .. T"), e.getMessage());
        }
    }

    @Test
    void aTokenIdThatIsNoIndexOfTheTableIsAnErrorNamingItAndTheRange() {
        Layer layer = Standard.layer("embedding", Map.of("num_embeddings", 5, "embedding_dim", 2), 3);
        for (float bad : new float[] {5f, -1f, 1.5f, Float.NaN}) {
            Tensor x = Tensor.of(new float[] {0, 1, 2, 4, bad, 3}, 2, 3);
            PropelException e = assertThrows(PropelException.class, () -> layer.forward(x, TestLayerContext.inference(KERNELS)));
            assertTrue(e.getMessage().contains("embedding_0") && e.getMessage().contains("token id " + bad)
                    && e.getMessage().contains("example 1 at position 1") && e.getMessage().contains("[0, 4]"), e.getMessage());
        }
    }

    @Test
    void thePaddingRowStartsAtZeroAndGetsNoGradient() {
        Layer layer = Standard.layer("embedding", Map.of("num_embeddings", 4, "embedding_dim", 3, "padding_idx", 2), 3);
        float[] w = layer.parameters().get("weight").data();
        assertArrayEquals(new float[3], java.util.Arrays.copyOfRange(w, 6, 9));
        TestLayerContext ctx = TestLayerContext.training(layer, KERNELS);
        Tensor y = layer.forward(Tensor.of(new float[] {2, 1, 2}, 1, 3), ctx);
        layer.backward(RandomTensors.normal(new SplittableRandom(1), y.shape().dims()), ctx);
        float[] g = ctx.gradient("weight").data();
        assertArrayEquals(new float[3], java.util.Arrays.copyOfRange(g, 6, 9));
        assertTrue(g[3] != 0f, "row 1 gets its gradient");
    }

    /**
     * Truncated BPTT by hand: with bptt_steps K the last step's output depends, for the gradient, only on
     * the inputs of its own chunk; with K ≥ T the gradients are full BPTT's, bit for bit.
     */
    @Test
    void truncatedBpttCutsTheGradientAtChunkBoundaries() {
        Tensor x = RandomTensors.normal(new SplittableRandom(3), 2, 7, F);
        Layer full = recurrent("lstm", Map.of("hidden_size", 3), 7, false);
        Layer cut = recurrent("lstm", Map.of("hidden_size", 3, "bptt_steps", 3), 7, false);
        Layer long_ = recurrent("lstm", Map.of("hidden_size", 3, "bptt_steps", 7), 7, false);
        cut.parameters().forEach((k, v) -> v.copyFrom(full.parameters().get(k)));
        long_.parameters().forEach((k, v) -> v.copyFrom(full.parameters().get(k)));
        Tensor dy = RandomTensors.normal(new SplittableRandom(4), 2, 3);
        TestLayerContext a = TestLayerContext.training(full, KERNELS);
        TestLayerContext b = TestLayerContext.training(cut, KERNELS);
        TestLayerContext c = TestLayerContext.training(long_, KERNELS);
        TensorAsserts.assertBitwiseEqual("forward is not truncated", full.forward(x, a), cut.forward(x, b));
        long_.forward(x, c);
        Tensor dFull = full.backward(dy, a).copy();
        Tensor dCut = cut.backward(dy, b);
        TensorAsserts.assertBitwiseEqual("K = T is full BPTT", dFull, long_.backward(dy, c));
        for (String p : full.parameters().keySet()) TensorAsserts.assertBitwiseEqual(p, a.gradient(p), c.gradient(p));
        // Chunks [0,3), [3,6), [6,7): the last output reaches back to step 6 only.
        for (int s = 0; s < 2; s++) {
            for (int t = 0; t < 7; t++) {
                for (int f = 0; f < F; f++) {
                    float g = dCut.data()[(s * 7 + t) * F + f];
                    float whole = dFull.data()[(s * 7 + t) * F + f];
                    if (t < 6) assertEquals(0f, g, "step " + t + " is before the last chunk");
                    else assertEquals(whole, g, "step 6 is in the last chunk");
                }
            }
        }
    }

    @Test
    void truncatedBpttOnABidirectionalLayerIsRefused() {
        var e = assertThrows(dev.propel.spi.AttributeException.class,
                () -> recurrent("gru", Map.of("hidden_size", 2, "bidirectional", true, "bptt_steps", 2), T, false));
        assertTrue(e.getMessage().contains("gru_0") && e.getMessage().contains("bidirectional"), e.getMessage());
    }

    @Test
    void aSequenceTooLongForMemoryIsRefusedWhenTheLayerIsBuilt() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Standard.layer("lstm", Map.of("hidden_size", 512), 50_000_000, 1));
        assertTrue(e.getMessage().contains("lstm_0") && e.getMessage().contains("50,000,000 time steps")
                && e.getMessage().contains("-Xmx"), e.getMessage());
    }

    /** The per-batch check that runs when a layer first sees a batch size, before any buffer of it exists. */
    @Test
    void aBatchTooLargeForMemoryIsRefusedBeforeItsFirstStep() {
        long perExample = RecurrentMemory.floatsPerExample(100_000, 1, 64, 1, 1, 4) * Float.BYTES;
        int batch = (int) Math.min(Integer.MAX_VALUE / 100_000, Runtime.getRuntime().maxMemory() / perExample + 1);
        RecurrentMemory.requireBatchFits("layer 'lstm_0' (lstm)", 1, 100_000, 1, 64, 1, 1, 4);
        ShapeException e = assertThrows(ShapeException.class, () -> RecurrentMemory.requireBatchFits("layer 'lstm_0' (lstm)", batch,
                100_000, 1, 64, 1, 1, 4));
        assertTrue(e.getMessage().contains("a batch of " + batch) && e.getMessage().contains("lower the batch size"), e.getMessage());
    }

    /**
     * The widest buffer of a stacked bidirectional rnn is the upper layer's weight-gradient inputs, {@code [x_t | h_prev | 1]}
     * with x of width 2H: 3,001 floats a step here, where the output sequence has 2,000. A batch whose buffers of that
     * width pass 2^31 floats is refused as too long for a Java array.
     */
    @Test
    void theWeightGradientInputsOfAStackedBidirectionalLayerCountAsItsWidestBuffer() {
        int batch = 800; // 1,000 steps · 2,000 · 800 = 1.6e9 fits an array; 1,000 · 3,001 · 800 = 2.4e9 does not
        ShapeException e = assertThrows(ShapeException.class, () -> RecurrentMemory.requireBatchFits("layer 'rnn_0' (rnn)", batch,
                1_000, 1, 1_000, 2, 2, 1));
        assertTrue(e.getMessage().contains("more than a Java array holds"), e.getMessage());
    }

    /**
     * Gradient clipping reaches the recurrent weights: one SGD step (rate 1) with clip norm 0.5 on an LSTM
     * with a large loss moves every parameter by the unclipped step scaled to norm 0.5.
     */
    @Test
    void clippingByNormScalesTheLstmsGradients() {
        ModelSpec spec = ModelSpec.builder().input(T, F)
                .layer("lstm", Map.of("hidden_size", 5)).layer("dense", Map.of("units", 2))
                .loss("mse", Map.of()).optimizer("sgd", Map.of("learning_rate", 1.0)).build();
        Tensor targets = Tensor.zeros(8, 2);
        KERNELS.fill(targets.data(), targets.size(), 100f);
        Dataset data = Dataset.regression("large", RandomTensors.normal(new SplittableRandom(6), 8, T, F), targets);
        Map<String, Tensor> before = copies(Standard.PROPEL.build(spec, 3).parameters());
        Map<String, Tensor> unclipped = step(spec, data, 0f);
        Map<String, Tensor> clipped = step(spec, data, 0.5f);
        double norm = 0, clippedNorm = 0;
        for (String p : before.keySet()) {
            for (int i = 0; i < before.get(p).size(); i++) {
                double d = unclipped.get(p).data()[i] - before.get(p).data()[i];
                double e = clipped.get(p).data()[i] - before.get(p).data()[i];
                norm += d * d;
                clippedNorm += e * e;
            }
        }
        norm = Math.sqrt(norm);
        assertTrue(norm > 10, "the unclipped step is large: " + norm);
        assertEquals(0.5, Math.sqrt(clippedNorm), 1e-4);
        for (String p : List.of("lstm_0.weight_hh_l0", "lstm_0.weight_ih_l0", "lstm_0.bias_hh_l0")) {
            float[] b = before.get(p).data(), u = unclipped.get(p).data(), c = clipped.get(p).data();
            boolean moved = false;
            for (int i = 0; i < b.length; i++) {
                double expected = (u[i] - b[i]) * 0.5 / (norm + 1e-6);
                assertEquals(expected, c[i] - b[i], 1e-5 * Math.abs(expected) + 2e-6, p + "[" + i + "]");
                moved |= c[i] != b[i];
            }
            assertTrue(moved, p + " was updated");
        }
    }

    private static Map<String, Tensor> step(ModelSpec spec, Dataset data, float clip) {
        Model model = Standard.PROPEL.build(spec, 3);
        Optimizer sgd = Standard.optimizer("sgd", Map.of("learning_rate", 1.0));
        new Trainer(TrainingConfig.builder().epochs(1).batchSize(data.size()).shuffle(false).clipNorm(clip).build())
                .fit(model, sgd, data, null);
        return copies(model.parameters());
    }

    private static Map<String, Tensor> copies(Map<String, Tensor> tensors) {
        Map<String, Tensor> m = new HashMap<>();
        tensors.forEach((k, v) -> m.put(k, v.copy()));
        return m;
    }

    /**
     * A token model as a graph: lengths from the padded ids, embedding with padding_idx 0, an LSTM that reads
     * both, a dense over every step and the sequence cross-entropy with ignored padding steps; it learns,
     * and it saves and loads with the same predictions.
     */
    /** Token ids, lengths, embedding, LSTM over lengths and a dense per step: a training step in steady state allocates nothing. */
    @Test
    void aTokenModelsTrainingStepAllocatesNothingInSteadyState() {
        int n = 64, steps = 5;
        SplittableRandom r = new SplittableRandom(3);
        float[] ids = new float[n * steps];
        for (int i = 0; i < n; i++) {
            int length = 1 + r.nextInt(steps);
            for (int t = 0; t < length; t++) ids[i * steps + t] = 1 + r.nextInt(6);
        }
        ModelSpec spec = ModelSpec.builder().input(steps)
                .layer(LayerSpec.of("sequence_lengths").named("lengths").reading("input"))
                .layer(LayerSpec.of("embedding", Map.of("num_embeddings", 7, "embedding_dim", 4, "padding_idx", 0))
                        .named("tokens").reading("input"))
                .layer(LayerSpec.of("lstm", Map.of("hidden_size", 8, "return_sequences", true)).named("lstm").reading("tokens", "lengths"))
                .layer(LayerSpec.of("dense", Map.of("units", 3)).named("tags").reading("lstm"))
                .loss("sequence_cross_entropy", Map.of()).optimizer("adam", Map.of()).build();
        ModelSession session = Standard.PROPEL.build(spec, 5).trainingSession(1);
        Tensor x = Tensor.of(ids, n, steps);
        Tensor grad = Tensor.zeros(n, steps, 3);
        for (int i = 0; i < 3; i++) RecurrentTest.step(session, x, grad);
        long before = RecurrentTest.allocatedBytes();
        for (int i = 0; i < 5; i++) RecurrentTest.step(session, x, grad);
        long allocated = RecurrentTest.allocatedBytes() - before;
        assertTrue(allocated < 4096, "5 training steps allocated " + allocated + " bytes");
    }

    @Test
    void aTokenTaggerTrainsSavesAndLoads(@TempDir Path dir) throws Exception {
        int n = 64, steps = 5, vocab = 7, classes = 3;
        SplittableRandom r = new SplittableRandom(11);
        float[] ids = new float[n * steps];
        int[] labels = new int[n * steps];
        for (int i = 0; i < n; i++) {
            int length = 1 + r.nextInt(steps);
            for (int t = 0; t < steps; t++) {
                int id = t < length ? 1 + r.nextInt(vocab - 1) : 0;
                ids[i * steps + t] = id;
                labels[i * steps + t] = t < length ? id % classes : SequenceCrossEntropy.IGNORE_INDEX;
            }
        }
        Dataset data = Dataset.regression("tags", Tensor.of(ids, n, steps), SequenceCrossEntropy.oneHot(labels, steps, classes));
        ModelSpec spec = ModelSpec.builder().input(steps)
                .layer(LayerSpec.of("sequence_lengths").named("lengths").reading("input"))
                .layer(LayerSpec.of("embedding", Map.of("num_embeddings", vocab, "embedding_dim", 4, "padding_idx", 0))
                        .named("tokens").reading("input"))
                .layer(LayerSpec.of("lstm", Map.of("hidden_size", 8, "return_sequences", true, "bptt_steps", 4))
                        .named("lstm").reading("tokens", "lengths"))
                .layer(LayerSpec.of("dense", Map.of("units", classes)).named("tags").reading("lstm"))
                .loss("sequence_cross_entropy", Map.of()).optimizer("adam", Map.of("learning_rate", 0.05)).build();
        Model model = Standard.PROPEL.build(spec, 5);
        assertEquals(Shape.of(steps, classes), model.outputShape());
        float first = model.loss().compute(model.predict(data.features()), data.targets().reshape(n, steps, classes), null, KERNELS);
        Optimizer adam = Standard.optimizer("adam", Map.of("learning_rate", 0.05));
        new Trainer(TrainingConfig.builder().epochs(30).batchSize(16).seed(2).build()).fit(model, adam, data, null);
        float last = model.loss().compute(model.predict(data.features()), data.targets().reshape(n, steps, classes), null, KERNELS);
        assertTrue(last < 0.2 * first, "loss " + first + " -> " + last);

        Path file = dir.resolve("tagger.pb");
        ModelFiles.save(SavedModel.builder(Standard.PROPEL, model).build(), file);
        LoadedModel loaded = ModelFiles.load(Standard.PROPEL, file);
        assertSameTensors(model.parameters(), loaded.model().parameters(), "parameters");
        assertEquals(4, loaded.model().layers().get(2).attributes().getInt("bptt_steps"));
        assertArrayEquals(rawBits(model.predict(data.features())), rawBits(loaded.model().predict(data.features())));
    }
}
