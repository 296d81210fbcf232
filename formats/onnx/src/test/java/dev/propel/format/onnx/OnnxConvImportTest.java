package dev.propel.format.onnx;

import dev.propel.Propel;
import dev.propel.format.onnx.ir.AttributeProto;
import dev.propel.format.onnx.ir.GraphProto;
import dev.propel.format.onnx.ir.ModelProto;
import dev.propel.format.onnx.ir.NodeProto;
import dev.propel.format.onnx.ir.OperatorSetIdProto;
import dev.propel.model.LoadedModel;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelFormatException;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Import of the convolutional operators from hand-built graphs: attribute forms exporters write
 * ({@code auto_pad}, a {@code [1, C, 1, 1]} scale, {@code ReduceMean} with kept axes) with values worked out by
 * hand, and the one-line refusals of what Propel cannot represent or a hostile file claims (a group that does
 * not divide the channels, negative or asymmetric pads, a window larger than the input, a huge kernel).
 */
class OnnxConvImportTest {
    @TempDir
    Path dir;

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) b.addInts(x);
        return b.build();
    }

    private static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto string(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }

    private static NodeProto node(String op, List<String> in, List<String> out, AttributeProto... attributes) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName("n_" + op).addAllInput(in).addAllOutput(out);
        for (AttributeProto a : attributes) b.addAttribute(a);
        return b.build();
    }

    private static NodeProto node(String op, List<String> in, AttributeProto... attributes) {
        return node(op, in, List.of("y"), attributes);
    }

    /** A model reading x of per-sample shape {@code input}, with {@code constants}, computing y (of shape {@code output}) by {@code nodes}. */
    private Path model(Shape input, Map<String, Tensor> constants, Shape output, NodeProto... nodes) throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder().addInput(OnnxExporter.valueInfo("x", input))
                .addOutput(OnnxExporter.valueInfo("y", output));
        constants.forEach((name, t) -> g.addInitializer(OnnxTensors.inline(name, t)));
        for (NodeProto n : nodes) g.addNode(n);
        ModelProto m = ModelProto.newBuilder().setIrVersion(9).setProducerName("test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(20)).setGraph(g).build();
        Path file = dir.resolve("m.onnx");
        Files.write(file, m.toByteArray());
        return file;
    }

    private static Tensor filled(float value, int... dims) {
        Tensor t = Tensor.zeros(dims);
        Arrays.fill(t.data(), value);
        return t;
    }

    private static float[] predict(Path file, Tensor x) throws Exception {
        try (Propel propel = Propel.builder().threads(1).build()) {
            LoadedModel m = ModelFiles.load(propel, file);
            return m.model().predict(x).toArray();
        }
    }

    private static String refusal(Path file, String... expected) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(file));
        String message = e.getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        for (String s : expected) assertTrue(message.contains(s), "'" + s + "' in: " + message);
        return message;
    }

    @Test
    void convWithSameUpperPaddingIsConv2dWithSamePadding() throws Exception {
        // A 2x2 kernel of ones at stride 1, SAME_UPPER: pads [0, 0, 1, 1], so y[i][j] = x[i][j] + x[i][j+1] + x[i+1][j] + x[i+1][j+1]
        // with zeros past the end, plus the bias 0.5.
        Path file = model(Shape.of(1, 3, 3), Map.of("w", filled(1f, 1, 1, 2, 2), "b", filled(0.5f, 1)), Shape.of(1, 3, 3),
                node("Conv", List.of("x", "w", "b"), string("auto_pad", "SAME_UPPER")));
        SavedModel saved = ModelFiles.read(file);
        assertEquals("conv2d", saved.spec().layers().getFirst().type());
        assertEquals("same", saved.spec().layers().getFirst().attributes().get("padding"));
        float[] y = predict(file, Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3));
        assertArrayEquals(new float[] {12.5f, 16.5f, 9.5f, 24.5f, 28.5f, 15.5f, 15.5f, 17.5f, 9.5f}, y);
    }

    @Test
    void aPerChannelMulIsLayerScaleAndAReduceMeanWithKeptAxesIsAPoolAndAReshape() throws Exception {
        Tensor gamma = Tensor.of(new float[] {2f, -1f}, 1, 2, 1, 1);
        Path file = model(Shape.of(2, 1, 2), Map.of("gamma", gamma, "axes", Tensor.zeros(1)), Shape.of(2, 1, 1),
                node("Mul", List.of("gamma", "x"), List.of("scaled")),
                node("ReduceMean", List.of("scaled"), List.of("y"), ints("axes", 2, 3)));
        SavedModel saved = ModelFiles.read(file);
        assertEquals(List.of("layer_scale", "global_avg_pool", "reshape"), saved.spec().layers().stream().map(l -> l.type()).toList());
        // channel 0: (1 + 3) / 2 * 2 = 4; channel 1: (2 + 6) / 2 * -1 = -4
        assertArrayEquals(new float[] {4f, -4f}, predict(file, Tensor.of(new float[] {1, 3, 2, 6}, 1, 2, 1, 2)));
    }

    @Test
    void aGroupThatDoesNotDivideTheChannelsIsRefused() throws Exception {
        Path file = model(Shape.of(3, 4, 4), Map.of("w", filled(1f, 4, 1, 1, 1)), Shape.of(4, 4, 4),
                node("Conv", List.of("x", "w"), integer("group", 2)));
        refusal(file, "n_Conv", "group = 2", "3 input channels");
    }

    @Test
    void negativeAndAsymmetricPadsAreRefused() throws Exception {
        Path negative = model(Shape.of(1, 4, 4), Map.of("w", filled(1f, 1, 1, 3, 3)), Shape.of(1, 4, 4),
                node("Conv", List.of("x", "w"), ints("pads", -1, 1, 1, 1)));
        refusal(negative, "n_Conv", "pads [-1, 1, 1, 1]", "at least 0");
        Path asymmetric = model(Shape.of(1, 4, 4), Map.of("w", filled(1f, 1, 1, 3, 3)), Shape.of(1, 4, 4),
                node("Conv", List.of("x", "w"), ints("pads", 2, 0, 0, 0), ints("strides", 2, 2)));
        refusal(asymmetric, "n_Conv", "pads [2, 0, 0, 0]", "both sides alike");
        Path pool = model(Shape.of(1, 4, 4), Map.of(), Shape.of(1, 3, 3),
                node("AveragePool", List.of("x"), ints("kernel_shape", 2, 2), ints("pads", 1, 1, 1, 1)));
        refusal(pool, "n_AveragePool", "count_include_pad = 0");
    }

    @Test
    void windowsLargerThanTheInputAndHugeKernelsAreRefusedBeforeAnyAllocation() throws Exception {
        Path tooLarge = model(Shape.of(1, 4, 4), Map.of("w", filled(1f, 1, 1, 5, 5)), Shape.of(1, 1, 1),
                node("Conv", List.of("x", "w")));
        refusal(tooLarge, "n_Conv", "5x5 window over a 4x4 input", "does not fit");
        Path huge = model(Shape.of(1, 4, 4), Map.of(), Shape.of(1, 1, 1),
                node("MaxPool", List.of("x"), ints("kernel_shape", 1L << 40, 2)));
        refusal(huge, "n_MaxPool", "kernel_shape", "below 2^29");
        Path hugePads = model(Shape.of(1, 4, 4), Map.of("w", filled(1f, 1, 1, 1, 1)), Shape.of(1, 1, 1),
                node("Conv", List.of("x", "w"), ints("pads", 400_000_000L, 400_000_000L, 400_000_000L, 400_000_000L)));
        refusal(hugePads, "n_Conv", "values per sample", "fewer than 2^31");
    }

    @Test
    void operatorsInFormsPropelCannotHoldAreRefusedNamingTheForm() throws Exception {
        Path ceil = model(Shape.of(1, 5, 5), Map.of(), Shape.of(1, 3, 3),
                node("MaxPool", List.of("x"), ints("kernel_shape", 2, 2), ints("strides", 2, 2), integer("ceil_mode", 1)));
        refusal(ceil, "n_MaxPool", "ceil_mode = 1", "3x3 output instead of 2x2");
        Path training = model(Shape.of(2, 3, 3), Map.of("s", filled(1f, 2), "b", filled(0f, 2)), Shape.of(2, 3, 3),
                node("BatchNormalization", List.of("x", "s", "b", "b", "s"), integer("training_mode", 1)));
        refusal(training, "n_BatchNormalization", "training_mode = 1");
        Path transpose = model(Shape.of(2, 3, 3), Map.of(), Shape.of(3, 3, 2),
                node("Transpose", List.of("x"), ints("perm", 0, 2, 3, 1)));
        refusal(transpose, "n_Transpose", "or around a LayerNormalization");
        Path mul = model(Shape.of(2, 3, 3), Map.of("c", filled(2f, 3, 3)), Shape.of(2, 3, 3), node("Mul", List.of("x", "c")));
        refusal(mul, "n_Mul", "constant of shape [3, 3]", "per channel");
        Path mean = model(Shape.of(2, 3, 3), Map.of(), Shape.of(3, 3), node("ReduceMean", List.of("x"), ints("axes", 1), integer("keepdims", 0)));
        refusal(mean, "n_ReduceMean", "axes [1]", "height and width");
        Path conv3d = model(Shape.of(1, 4, 4, 4), Map.of("w", filled(1f, 1, 1, 1, 1, 1)), Shape.of(1, 4, 4, 4), node("Conv", List.of("x", "w")));
        refusal(conv3d, "n_Conv", "constant 4-D weight");
        Path unsupported = model(Shape.of(1, 4, 4), Map.of(), Shape.of(1, 4, 4), node("LpPool", List.of("x")));
        refusal(unsupported, "unsupported operator 'LpPool'", "opset 20", "AveragePool", "BatchNormalization", "Conv", "GlobalAveragePool",
                "LayerNormalization", "MaxPool");
    }
}
