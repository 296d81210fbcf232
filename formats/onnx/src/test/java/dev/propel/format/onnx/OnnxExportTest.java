package dev.propel.format.onnx;

import dev.propel.Propel;
import dev.propel.format.onnx.ir.ModelProto;
import dev.propel.format.onnx.ir.TensorProto;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exported Propel models run in ONNX Runtime (Java) with Propel's outputs to 1e-5 relative, and come back
 * into Propel with the same predictions bit for bit, inline and through external data.
 */
class OnnxExportTest {
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

    @Test
    void everyActivationRunsInOnnxRuntimeAsInPropel() throws Exception {
        checkBothWays(ExportModels.everyActivation(), ExportModels.input(1, 9, 12), new OnnxModelFormat());
    }

    @Test
    void aGraphWithAddConcatReshapeAndFlattenRunsInOnnxRuntimeAsInPropel() throws Exception {
        checkBothWays(ExportModels.graph(), ExportModels.input(2, 7, 6), new OnnxModelFormat());
    }

    @Test
    void tensorsAboveTheThresholdGoToExternalDataAndComeBack() throws Exception {
        Path file = checkBothWays(ExportModels.everyActivation(), ExportModels.input(3, 4, 12), new OnnxModelFormat(256));
        Path data = file.resolveSibling(file.getFileName() + ".data");
        assertTrue(Files.isRegularFile(data), "external data file written");
        // The 16x12 and 10x16 weights (768 and 640 bytes) are external; the small biases stay inline.
        assertTrue(Files.size(data) >= 4 * (16 * 12 + 10 * 16), "external data holds the large weights");
        Map<String, TensorProto.DataLocation> where = new HashMap<>();
        ModelProto.parseFrom(Files.readAllBytes(file)).getGraph().getInitializerList().forEach(t -> where.put(t.getName(), t.getDataLocation()));
        assertEquals(TensorProto.DataLocation.EXTERNAL, where.get("dense_0.weight"));
        assertEquals(TensorProto.DataLocation.EXTERNAL, where.get("dense_2.weight"));
        assertEquals(TensorProto.DataLocation.DEFAULT, where.get("dense_0.bias"));
    }

    @Test
    void theConvolutionalLayersRunInOnnxRuntimeAsInPropel() throws Exception {
        Model model = propel.build(ExportModels.convolutional(), 42);
        ExportModels.randomizeNormalization(model, 7);
        checkBothWays(model, ExportModels.input(4, 3, 2, 11, 10), new OnnxModelFormat());
    }

    @Test
    void resnetSmallRunsInOnnxRuntimeAsInPropel() throws Exception {
        Model model = propel.build(ExampleSpecs.read("resnet-small.json"), 11);
        ExportModels.randomizeNormalization(model, 12);
        checkBothWays(model, ExportModels.input(13, 4, 1, 28, 28), new OnnxModelFormat());
    }

    @Test
    void convnextSmallRunsInOnnxRuntimeAsInPropel() throws Exception {
        Model model = propel.build(ExampleSpecs.read("convnext-small.json"), 21);
        ExportModels.randomizeNormalization(model, 22);
        checkBothWays(model, ExportModels.input(23, 4, 1, 28, 28), new OnnxModelFormat());
    }

    /** Exports {@code spec}'s model, compares ONNX Runtime with Propel, imports it back, compares bit for bit. */
    private Path checkBothWays(ModelSpec spec, Tensor x, OnnxModelFormat format) throws Exception {
        return checkBothWays(propel.build(spec, 42), x, format);
    }

    private Path checkBothWays(Model model, Tensor x, OnnxModelFormat format) throws Exception {
        ModelSpec spec = model.spec();
        SavedModel saved = SavedModel.builder(propel, model).build();
        Path file = dir.resolve("model.onnx");
        format.write(saved, file, propel);
        float[] expected = model.predict(x).toArray();
        Close.assertClose(expected, OrtRunner.run(file, x), 1e-5, "ONNX Runtime against Propel");
        PythonCheck.checkIfAvailable(file, x, expected);

        LoadedModel back = ModelFiles.load(propel, file);
        assertArrayEquals(expected, back.model().predict(x).toArray(), "Propel -> ONNX -> Propel predicts bit for bit");
        assertEquals(saved.parameters().keySet(), back.saved().parameters().keySet(), "parameter names survive");
        assertEquals(saved.spec().layers().stream().filter(l -> !l.type().equals("dropout")).map(l -> l.name() + ":" + l.type()).toList(),
                back.saved().spec().layers().stream().map(l -> l.name() + ":" + l.type()).toList(), "the layers but dropout come back");
        assertEquals(spec.loss().type(), back.saved().spec().loss().type(), "the loss is recorded");
        return file;
    }
}
