package dev.propel.format.onnx;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.LoadedModel;
import dev.propel.model.ModelFiles;
import dev.propel.model.SavedModel;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Tensor;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * PyTorch → ONNX → Propel: the MLPs that src/test/python/make_torch_fixtures.py exported with torch 2.13
 * (both exporters) give PyTorch's outputs in Propel to 1e-5, and an imported model fine-tunes and saves
 * like any other.
 */
class TorchFixturesTest {
    private static Propel propel;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        propel = Propel.builder().threads(1).build();
    }

    @AfterAll
    static void stop() {
        propel.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"torch-mlp-flat", "torch-mlp-image", "torch-mlp-legacy", "torch-lstm", "torch-gru", "torch-gru-legacy",
            "torch-lstm-hn", "torch-resnet-small", "torch-convnext-small", "torch-cnn-pools", "torch-cnn-pools-legacy"})
    void propelReproducesPyTorchsOutputs(String fixture) throws Exception {
        Path root = Fixtures.ROOT.resolve(fixture);
        LoadedModel m = ModelFiles.load(propel, root.resolve("model.onnx"));
        Tensor x = Fixtures.tensor(root.resolve("test_data_set_0/input_0.pb"));
        Tensor expected = Fixtures.tensor(root.resolve("test_data_set_0/output_0.pb"));
        Close.assertClose(expected.toArray(), m.model().predict(x).toArray(), 1e-5, fixture + ": Propel against PyTorch");
    }

    @Test
    void theLayersAreTheOnesPyTorchHad() throws Exception {
        SavedModel flat = ModelFiles.read(Fixtures.ROOT.resolve("torch-mlp-flat/model.onnx"));
        assertEquals(List.of("dense", "dense", "dense"), flat.spec().layers().stream().map(l -> l.type()).toList(),
                "Gemm + Relu fuse into dense layers with activation relu");
        assertEquals("relu", flat.spec().layers().getFirst().attributes().get("activation"));
        assertEquals(List.of(784), flat.spec().input());
        SavedModel image = ModelFiles.read(Fixtures.ROOT.resolve("torch-mlp-image/model.onnx"));
        assertEquals("reshape", image.spec().layers().getFirst().type());
        assertEquals(List.of(1, 28, 28), image.spec().input());
        SavedModel legacy = ModelFiles.read(Fixtures.ROOT.resolve("torch-mlp-legacy/model.onnx"));
        assertEquals(List.of("dense", "dense", "softmax"), legacy.spec().layers().stream().map(l -> l.type()).toList());
    }

    @Test
    void theRecurrentNetworksComeBackAsTheirPropelTwins() throws Exception {
        // examples/lstm-fmnist.json and gru-fmnist.json: a reshape to [28, 28] (x.view), the recurrent layer, the classifier
        for (String cell : List.of("lstm", "gru")) {
            SavedModel m = ModelFiles.read(Fixtures.ROOT.resolve("torch-" + cell + "/model.onnx"));
            assertEquals(List.of("reshape", cell, "dense"), m.spec().layers().stream().map(l -> l.type()).toList(), cell);
            Map<String, Object> rnn = m.spec().layers().get(1).attributes();
            assertEquals(128, rnn.get("hidden_size"));
            assertEquals(false, rnn.get("return_sequences"));
            assertEquals(List.of(28, 28), m.spec().input());
        }
        SavedModel stacked = ModelFiles.read(Fixtures.ROOT.resolve("torch-gru-legacy/model.onnx"));
        Map<String, Object> gru = stacked.spec().layers().get(1).attributes();
        assertEquals(2, gru.get("num_layers"), "two GRU operators reading each other become one stacked layer");
        SavedModel hn = ModelFiles.read(Fixtures.ROOT.resolve("torch-lstm-hn/model.onnx"));
        assertEquals(true, hn.spec().layers().getFirst().attributes().get("bidirectional"));
        assertEquals(List.of("lstm", "dense"), hn.spec().layers().stream().map(l -> l.type()).toList(), "h_n is Propel's last-step output");
    }

    @Test
    void theConvolutionalNetworksComeBackAsPropelsLayers() throws Exception {
        SavedModel resnet = ModelFiles.read(Fixtures.ROOT.resolve("torch-resnet-small/model.onnx"));
        // The dynamo exporter folds each eval-mode BatchNorm2d into its conv: 15 convs with bias.
        assertEquals(15, count(resnet, "conv2d"));
        assertEquals(6, count(resnet, "add"), "one residual add per basic block");
        assertEquals(List.of("global_avg_pool", "dense"), types(resnet).subList(types(resnet).size() - 2, types(resnet).size()));
        SavedModel convnext = ModelFiles.read(Fixtures.ROOT.resolve("torch-convnext-small/model.onnx"));
        assertEquals(7, count(convnext, "layer_norm"), "6 channel norms (Transpose-LayerNormalization-Transpose) and the head's");
        assertEquals(List.of(0), convnext.spec().layers().get(1).attributes().get("axes"), "the stem's norm runs over the channels");
        assertEquals(4, count(convnext, "layer_scale"));
        assertEquals(4, count(convnext, "gelu"));
        for (String legacy : List.of("torch-cnn-pools", "torch-cnn-pools-legacy")) {
            SavedModel pools = ModelFiles.read(Fixtures.ROOT.resolve(legacy + "/model.onnx"));
            assertEquals(List.of("conv2d", "max_pool2d", "batch_norm", "relu", "avg_pool2d", "conv2d", "relu", "global_avg_pool", "dense"),
                    types(pools), legacy);
            assertEquals(3, pools.layerState().size(), legacy + ": the running statistics and the batch counter are state");
        }
    }

    private static List<String> types(SavedModel m) {
        return m.spec().layers().stream().map(l -> l.type()).toList();
    }

    private static long count(SavedModel m, String type) {
        return types(m).stream().filter(type::equals).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"torch-mlp-flat", "torch-lstm"})
    void anImportedModelFineTunesAndSavesLikeAnyOther(String fixture) throws Exception {
        Path root = Fixtures.ROOT.resolve(fixture);
        LoadedModel m = ModelFiles.load(propel, root.resolve("model.onnx"));
        Tensor x = Fixtures.tensor(root.resolve("test_data_set_0/input_0.pb"));
        float[] before = m.model().predict(x).toArray();
        Dataset data = Dataset.classification("pixels", x, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 10);
        Optimizer sgd = propel.optimizer("sgd", Map.of("learning_rate", 0.1f));
        new Trainer(TrainingConfig.builder().epochs(2).batchSize(4).seed(1).build()).fit(m.model(), sgd, data, null);
        float[] after = m.model().predict(x).toArray();
        assertNotEquals(before[0], after[0], "training changed the imported weights");

        for (String ext : List.of(".pb", ".onnx")) {
            Path file = dir.resolve("tuned" + ext);
            ModelFiles.save(propel, SavedModel.builder(propel, m.model()).optimizer(sgd, true).build(), file);
            assertArrayEquals(after, ModelFiles.load(propel, file).model().predict(x).toArray(), "fine-tuned model through " + ext);
        }
    }
}
