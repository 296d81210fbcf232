package dev.propel.format.onnx;

import dev.propel.Propel;
import dev.propel.format.onnx.ir.AttributeProto;
import dev.propel.format.onnx.ir.GraphProto;
import dev.propel.format.onnx.ir.ModelProto;
import dev.propel.format.onnx.ir.NodeProto;
import dev.propel.format.onnx.ir.OperatorSetIdProto;
import dev.propel.model.LoadedModel;
import dev.propel.model.ModelFiles;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The exporter patterns for {@code nn.Linear} besides Gemm: {@code MatMul} with a weight transposed by a
 * constant {@code Transpose} node (folded), followed by the {@code Add} of a bias from a {@code Constant}
 * node, an {@code Identity}, and a {@code Relu}: one dense layer with the values worked out by hand.
 */
class OnnxImportPatternsTest {
    @TempDir
    Path dir;

    private static NodeProto node(String op, String name, List<String> in, String out, AttributeProto... attributes) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out);
        for (AttributeProto a : attributes) b.addAttribute(a);
        return b.build();
    }

    @Test
    void matMulOfATransposedInitializerPlusAConstantBiasIsOneDenseLayer() throws Exception {
        // W (PyTorch's [out = 2, in = 3]) is stored as is and transposed in the graph, as exporters do before MatMul.
        Tensor w = Tensor.of(new float[] {1, 2, 3, -1, 0, 1}, 2, 3);
        AttributeProto bias = AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                .setT(OnnxTensors.inline("", Tensor.of(new float[] {0.5f, -4f}, 2))).build();
        GraphProto graph = GraphProto.newBuilder()
                .addInput(OnnxExporter.valueInfo("x", Shape.of(3)))
                .addInitializer(OnnxTensors.inline("fc.weight", w))
                .addNode(node("Transpose", "t", List.of("fc.weight"), "wt",
                        AttributeProto.newBuilder().setName("perm").setType(AttributeProto.AttributeType.INTS).addInts(1).addInts(0).build()))
                .addNode(node("Constant", "c", List.of(), "b", bias))
                .addNode(node("Identity", "same", List.of("x"), "x2"))
                .addNode(node("MatMul", "fc/MatMul", List.of("x2", "wt"), "prod"))
                .addNode(node("Add", "fc/Add", List.of("prod", "b"), "sum"))
                .addNode(node("Relu", "act", List.of("sum"), "y"))
                .addOutput(OnnxExporter.valueInfo("y", Shape.of(2)))
                .build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setProducerName("pytorch")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(graph).build();
        Path file = dir.resolve("matmul.onnx");
        Files.write(file, model.toByteArray());

        SavedModel saved = ModelFiles.read(file);
        assertEquals(1, saved.spec().layers().size(), saved.spec().toString());
        assertEquals("dense", saved.spec().layers().getFirst().type());
        assertEquals("relu", saved.spec().layers().getFirst().attributes().get("activation"));
        assertArrayEquals(w.toArray(), saved.parameters().get("fc_MatMul.weight").toArray(), "weight back in [out, in]");
        try (Propel propel = Propel.builder().threads(1).build()) {
            LoadedModel m = ModelFiles.load(propel, file);
            // x = [1, 1, 1]: W·x = [6, 0], + b = [6.5, -4], relu = [6.5, 0]; x = [2, 0, -1]: [-1, -3] + b = [-0.5, -7] -> [0, 0]
            Tensor x = Tensor.of(new float[] {1, 1, 1, 2, 0, -1}, 2, 3);
            assertArrayEquals(new float[] {6.5f, 0f, 0f, 0f}, m.model().predict(x).toArray());
        }
    }
}
