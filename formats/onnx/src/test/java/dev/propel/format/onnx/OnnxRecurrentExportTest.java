package dev.propel.format.onnx;

import dev.propel.Propel;
import dev.propel.model.LayerSpec;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelSpec;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The recurrent layers exported to ONNX RNN/LSTM/GRU run in ONNX Runtime (Java) with Propel's outputs to
 * 1e-5 relative, for every cell, stacked and bidirectional, returning every step or the last; and come back
 * into Propel with the same outputs bit for bit (the import of Propel's own pattern).
 */
class OnnxRecurrentExportTest {
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

    static Stream<Arguments> layers() {
        List<Arguments> cases = new ArrayList<>();
        for (String type : List.of("rnn", "rnn_relu", "lstm", "gru")) {
            for (int layers : new int[] {1, 2}) {
                for (boolean bidirectional : new boolean[] {false, true}) {
                    for (boolean sequences : new boolean[] {false, true}) cases.add(Arguments.of(type, layers, bidirectional, sequences));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} layers={1} bidirectional={2} sequences={3}")
    @MethodSource("layers")
    void aRecurrentLayerRunsInOnnxRuntimeAsInPropelAndComesBackBitForBit(String type, int layers, boolean bidirectional, boolean sequences)
            throws Exception {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("hidden_size", 4);
        attributes.put("num_layers", layers);
        attributes.put("bidirectional", bidirectional);
        attributes.put("return_sequences", sequences);
        if (type.startsWith("rnn")) attributes.put("nonlinearity", type.equals("rnn_relu") ? "relu" : "tanh");
        ModelSpec spec = ModelSpec.builder().input(5, 3)
                .layer(LayerSpec.of(type.startsWith("rnn") ? "rnn" : type, attributes).named("rec"))
                .loss("mse").build();
        checkBothWays(spec, ExportModels.input(7, 6, 5, 3));
    }

    @Test
    void withoutBiasAndFollowedByADenseLayer() throws Exception {
        ModelSpec spec = ModelSpec.builder().input(4, 2)
                .layer("gru", Map.of("hidden_size", 3, "bias", false, "return_sequences", true))
                .layer("flatten")
                .layer("dense", Map.of("units", 5))
                .loss("cross_entropy").build();
        checkBothWays(spec, ExportModels.input(8, 3, 4, 2));
    }

    @Test
    void theExampleLstmAndGruNetworksComeBackBitForBit() throws Exception {
        for (String cell : List.of("lstm", "gru")) {   // examples/lstm-fmnist.json and examples/gru-fmnist.json
            ModelSpec spec = ModelSpec.builder().input(28, 28)
                    .layer(LayerSpec.of(cell, Map.of("hidden_size", 128)).named(cell))
                    .layer(LayerSpec.of("dense", Map.of("units", 10)).named("classifier"))
                    .loss("cross_entropy").build();
            checkBothWays(spec, ExportModels.input(9, 4, 28, 28));
        }
    }

    private void checkBothWays(ModelSpec spec, Tensor x) throws Exception {
        Model model = propel.build(spec, 42);
        SavedModel saved = SavedModel.builder(propel, model).build();
        Path file = dir.resolve("model.onnx");
        new OnnxModelFormat().write(saved, file, propel);
        float[] expected = model.predict(x).toArray();
        Close.assertClose(expected, OrtRunner.run(file, x), 1e-5, "ONNX Runtime against Propel");
        PythonCheck.checkIfAvailable(file, x, expected);

        LoadedModel back = ModelFiles.load(propel, file);
        assertArrayEquals(expected, back.model().predict(x).toArray(), "Propel -> ONNX -> Propel predicts bit for bit");
        assertEquals(saved.parameters().keySet(), back.saved().parameters().keySet(), "parameter names survive");
        for (String name : saved.parameters().keySet()) {
            assertArrayEquals(saved.parameters().get(name).toArray(), back.saved().parameters().get(name).toArray(), name);
        }
        assertEquals(spec.layers().size(), back.saved().spec().layers().size(), "one layer per layer");
    }
}
