package dev.propel.format.onnx;

import com.google.protobuf.ByteString;
import dev.propel.Propel;
import dev.propel.format.onnx.ir.AttributeProto;
import dev.propel.format.onnx.ir.GraphProto;
import dev.propel.format.onnx.ir.ModelProto;
import dev.propel.format.onnx.ir.NodeProto;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelFormatException;
import dev.propel.model.ModelSpec;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Propel's recurrent layers cannot compute is refused at import in one line naming the operator, the
 * node and the attribute: peepholes, clip, other activations, coupled gates, GRU without
 * {@code linear_before_reset}, a reverse-only direction, a non-zero initial state, and PyTorch's
 * {@code out[:, -1]} of a bidirectional layer (which is not the final state Propel outputs).
 */
class OnnxRecurrentImportTest {
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

    /** Propel's export of one recurrent layer named "rec", as a proto to alter. */
    private ModelProto exported(String type, boolean bidirectional, boolean sequences) throws Exception {
        ModelSpec spec = ModelSpec.builder().input(5, 3)
                .layer(LayerSpec.of(type, Map.of("hidden_size", 4, "bidirectional", bidirectional, "return_sequences", sequences)).named("rec"))
                .loss("mse").build();
        Path file = dir.resolve(type + ".onnx");
        new OnnxModelFormat().write(SavedModel.builder(propel, propel.build(spec, 1)).build(), file, propel);
        return ModelProto.parseFrom(Files.readAllBytes(file));
    }

    /** The model with its recurrent node changed by {@code change}, imported: the refusal's message. */
    private String refusal(ModelProto model, UnaryOperator<NodeProto.Builder> change) throws Exception {
        GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            String op = graph.getNode(i).getOpType();
            if (op.equals("LSTM") || op.equals("GRU") || op.equals("RNN")) graph.setNode(i, change.apply(graph.getNode(i).toBuilder()));
        }
        return refusal(model.toBuilder().setGraph(graph).build());
    }

    private String refusal(ModelProto model) throws Exception {
        Path file = dir.resolve("altered.onnx");
        Files.write(file, model.toByteArray());
        String message = assertThrows(ModelFormatException.class, () -> ModelFiles.read(file)).getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        return message;
    }

    private static AttributeProto attribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static void assertNames(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "'" + p + "' in: " + message);
    }

    @Test
    void unsupportedAttributesAreRefusedNamingOperatorNodeAndAttribute() throws Exception {
        ModelProto lstm = exported("lstm", false, false);
        assertNames(refusal(lstm, n -> n.addAttribute(AttributeProto.newBuilder().setName("clip").setType(AttributeProto.AttributeType.FLOAT).setF(3f))),
                "node 'rec/LSTM_1' (LSTM)", "clip", "do not clip");
        assertNames(refusal(lstm, n -> n.addAttribute(attribute("input_forget", 1))), "(LSTM)", "input_forget", "input_forget = 0 only");
        assertNames(refusal(lstm, n -> n.addAttribute(AttributeProto.newBuilder().setName("activations")
                        .setType(AttributeProto.AttributeType.STRINGS).addStrings(ByteString.copyFromUtf8("HardSigmoid"))
                        .addStrings(ByteString.copyFromUtf8("Tanh")).addStrings(ByteString.copyFromUtf8("Tanh")))),
                "(LSTM)", "activations = [HardSigmoid, Tanh, Tanh]", "Sigmoid, Tanh, Tanh");
        assertNames(refusal(lstm, n -> {
            while (n.getInputCount() < 7) n.addInput("");
            return n.addInput("rec/W_l0");
        }), "(LSTM)", "peepholes (input P", "has none");
        assertNames(refusal(lstm, n -> {
            for (int i = 0; i < n.getAttributeCount(); i++) {
                if (n.getAttribute(i).getName().equals("direction")) n.setAttribute(i, n.getAttribute(i).toBuilder().setS(ByteString.copyFromUtf8("reverse")));
            }
            return n;
        }), "(LSTM)", "direction = 'reverse'", "forward or bidirectional");
        assertNames(refusal(lstm, n -> {
            while (n.getInputCount() < 5) n.addInput("");
            return n.addInput("rec/B_l0");   // any non-zero constant as initial_h
        }), "(LSTM)", "initial_h", "not all zeros");

        ModelProto gru = exported("gru", false, false);
        assertNames(refusal(gru, n -> {
            for (int i = 0; i < n.getAttributeCount(); i++) {
                if (n.getAttribute(i).getName().equals("linear_before_reset")) n.setAttribute(i, attribute("linear_before_reset", 0));
            }
            return n;
        }), "node 'rec/GRU_1' (GRU)", "linear_before_reset = 0", "linear_before_reset = 1");
    }

    @Test
    void theLastStepOfABidirectionalSequenceIsRefusedForItIsNotTheFinalState() throws Exception {
        ModelProto bi = exported("lstm", true, true);
        GraphProto.Builder graph = bi.getGraph().toBuilder()
                .addInitializer(OnnxTensors.int64s("minus_one", java.util.List.of(-1L)))
                .addNode(NodeProto.newBuilder().setOpType("Gather").setName("select").addInput("rec").addInput("minus_one")
                        .addOutput("last").addAttribute(attribute("axis", 1)))
                .clearOutput().addOutput(OnnxExporter.valueInfo("last", Shape.of(8)));
        assertNames(refusal(bi.toBuilder().setGraph(graph).build()), "node 'select' (Gather)", "bidirectional", "Y_h");
    }

    @Test
    void theFinalStatesOfABidirectionalLayerImportAsItsLastStep() throws Exception {
        // The bit-for-bit round trips of OnnxRecurrentExportTest cover the values; here the attributes.
        Path file = dir.resolve("bi.onnx");
        Files.write(file, exported("gru", true, false).toByteArray());
        Map<String, Object> a = ModelFiles.read(file).spec().layers().getFirst().attributes();
        assertEquals(true, a.get("bidirectional"));
        assertEquals(false, a.get("return_sequences"));
        assertEquals(4, a.get("hidden_size"));
    }
}
