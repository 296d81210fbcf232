package dev.propel.format.onnx;

import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.model.ModelFormatException;
import dev.propel.model.ModelSpec;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;
import dev.propel.train.ff.ForwardForwardFile;
import dev.propel.train.ff.ForwardForwardModel;
import dev.propel.train.ff.ForwardForwardSettings;
import dev.propel.train.ff.Goodness;
import dev.propel.train.ff.PredictionRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is exported beyond the built-in layers: a third-party plugin's layer through the
 * {@link dev.propel.spi.OperatorExport} hook (the example plugin's swish), the clear refusal of a layer
 * without it, and a Forward-Forward model with its prediction rule (softmax head exported, goodness refused).
 */
class OnnxExportHooksTest {
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

    private static SavedModel saved(ModelSpec spec) {
        return SavedModel.builder(propel, propel.build(spec, 11)).build();
    }

    @Test
    void aPluginLayerWithTheHookRunsInOnnxRuntimeAsInPropel() throws Exception {
        for (boolean learnable : new boolean[] {true, false}) {
            ModelSpec spec = ModelSpec.builder().input(6)
                    .layer("dense", Map.of("units", 5))
                    .layer("swish", Map.of("beta", 1.7f, "learnable", learnable))
                    .layer("dense", Map.of("units", 3))
                    .loss("mse").build();
            Model model = propel.build(spec, 3);
            Path file = dir.resolve("swish.onnx");
            new OnnxModelFormat().write(SavedModel.builder(propel, model).build(), file, propel);
            Tensor x = ExportModels.input(4, 5, 6);
            Close.assertClose(model.predict(x).toArray(), OrtRunner.run(file, x), 1e-5, "swish, learnable " + learnable);
        }
    }

    /** A dense over the last axis of a sequence (rank-2 per-sample input) has no Gemm form: refused, naming the layer and shape. */
    @Test
    void aDenseOverTheLastAxisOfASequenceIsRefused() {
        SavedModel m = saved(ModelSpec.builder().input(4, 6).layer("dense", Map.of("units", 3)).loss("mse").build());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> new OnnxModelFormat().write(m, dir.resolve("steps.onnx"), propel));
        assertTrue(e.getMessage().contains("dense_0") && e.getMessage().contains("[4, 6]") && e.getMessage().contains("not written yet"),
                e.getMessage());
    }

    @Test
    void aPluginLayerWithoutTheHookIsRefusedNamingTheLayerItsPluginAndTheHook() throws Exception {
        SavedModel m = saved(ModelSpec.builder().input(6).layer("dense", Map.of("units", 5)).layer("example_layer_norm")
                .layer("dense", Map.of("units", 3)).loss("mse").build());
        Path file = dir.resolve("norm.onnx");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> new OnnxModelFormat().write(m, file, propel));
        assertTrue(e.getMessage().startsWith("cannot export layer 'example_layer_norm_1' (example_layer_norm, from plugin 'example' 1.0.0) to ONNX:"
                + " its layer factory does not implement dev.propel.spi.OperatorExport"), e.getMessage());
        assertFalse(Files.exists(file), "nothing written");
        SavedModel swish = saved(ModelSpec.builder().input(6).layer("swish").loss("mse").build());
        ModelFormatException without = assertThrows(ModelFormatException.class, () -> new OnnxModelFormat().write(swish, file));
        assertTrue(without.getMessage().contains("(swish, from plugin 'example' 1.0.0) to ONNX: it is not a built-in layer and no plugins"
                + " were given to ask"), without.getMessage());
    }

    private static ForwardForwardModel forwardForward(PredictionRule rule) {
        ModelSpec stack = ModelSpec.builder().input(8)
                .layer("dense", Map.of("units", 6)).layer("relu")
                .layer("dense", Map.of("units", 5, "activation", "relu"))
                .layer("dense", Map.of("units", 4)).layer("relu")
                .loss("mse").build();
        Random r = new Random(9);
        Map<String, Tensor> head = new LinkedHashMap<>();
        head.put("ff_head.weight", Tensor.randn(r, 0.5f, 9, 3));
        head.put("ff_head.bias", Tensor.randn(r, 0.5f, 3));
        ForwardForwardSettings settings = new ForwardForwardSettings(3, 1f, Goodness.SUM, 1f, rule, 1);
        return ForwardForwardModel.restore(propel.build(stack, 5), settings, rule == PredictionRule.SOFTMAX ? head : Map.of());
    }

    @Test
    void aForwardForwardModelWithTheSoftmaxRuleExportsItsNeutralLabelPassAndHead() throws Exception {
        ForwardForwardModel ff = forwardForward(PredictionRule.SOFTMAX);
        Path file = dir.resolve("model.onnx");
        new OnnxModelFormat().write(ForwardForwardFile.saved(propel, ff, null, null), file, propel);
        Tensor x = ExportModels.input(6, 7, 8);
        float[] expected = ff.scores(x).toArray();
        Close.assertClose(expected, OrtRunner.run(file, x), 1e-5, "Forward-Forward softmax-rule scores");
        PythonCheck.checkIfAvailable(file, x, expected);
    }

    @Test
    void aForwardForwardModelWithTheGoodnessRuleIsRefusedNamingTheRuleAndTheAlternative() {
        SavedModel m = ForwardForwardFile.saved(propel, forwardForward(PredictionRule.GOODNESS), null, null);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> new OnnxModelFormat().write(m, dir.resolve("ff.onnx"), propel));
        assertTrue(e.getMessage().contains("it predicts with the 'goodness' rule") && e.getMessage().contains("--prediction-rule softmax"),
                e.getMessage());
    }
}
