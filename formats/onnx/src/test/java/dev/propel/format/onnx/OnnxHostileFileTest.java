package dev.propel.format.onnx;

import dev.propel.Propel;
import dev.propel.format.onnx.ir.ModelProto;
import dev.propel.format.onnx.ir.NodeProto;
import dev.propel.format.onnx.ir.StringStringEntryProto;
import dev.propel.format.onnx.ir.TensorProto;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelFormatException;
import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile .onnx files are data, never code: every truncation and bit flip is read or refused with a
 * {@link ModelFormatException} (nothing else escapes); sizes are checked before allocation; external data
 * paths stay in the model's directory; unsupported operators are refused in one line naming the operator,
 * the node, the opset and the supported list.
 */
class OnnxHostileFileTest {
    private static Propel propel;
    private static byte[] good;

    @TempDir
    Path dir;

    @BeforeAll
    static void export() throws Exception {
        propel = Propel.builder().threads(1).build();
        Path tmp = Files.createTempDirectory("onnx-good");
        Path file = tmp.resolve("model.onnx");
        new OnnxModelFormat().write(SavedModel.builder(propel, propel.build(ExportModels.everyActivation(), 5)).build(), file, propel);
        good = Files.readAllBytes(file);
        Files.delete(file);
        Files.delete(tmp);
    }

    @AfterAll
    static void stop() {
        propel.close();
    }

    private static SavedModel read(byte[] bytes) throws Exception {
        return new OnnxModelFormat().read("hostile.onnx", bytes, TensorReceiver.allocating());
    }

    /** Reads {@code bytes}: it may succeed, or fail with a ModelFormatException that says something; nothing else. */
    private static void readsOrRefusesCleanly(byte[] bytes, String what) {
        try {
            read(bytes);
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage() != null && e.getMessage().length() > 20, what + ": a message that explains: " + e.getMessage());
        } catch (Throwable t) {
            fail(what + ": " + t.getClass().getName() + " escaped: " + t.getMessage(), t);
        }
    }

    @Test
    void everyTruncationIsRefusedCleanly() {
        for (int length = 0; length < good.length; length += Math.max(1, good.length / 400)) {
            byte[] cut = Arrays.copyOf(good, length);
            readsOrRefusesCleanly(cut, "truncated to " + length + " bytes");
        }
        assertThrows(ModelFormatException.class, () -> read(Arrays.copyOf(good, good.length / 2)));
    }

    @Test
    void bitFlipsAreReadOrRefusedCleanly() {
        Random r = new Random(7);
        for (int i = 0; i < 1500; i++) {
            byte[] flipped = good.clone();
            int at = r.nextInt(flipped.length);
            flipped[at] ^= (byte) (1 << r.nextInt(8));
            readsOrRefusesCleanly(flipped, "bit flip at byte " + at);
        }
    }

    private static byte[] edited(UnaryOperator<ModelProto.Builder> edit) throws Exception {
        return edit.apply(ModelProto.parseFrom(good).toBuilder()).build().toByteArray();
    }

    @Test
    void dimensionsLargerThanTheDataAreRefusedBeforeAllocation() throws Exception {
        byte[] lying = edited(m -> {
            TensorProto w = m.getGraph().getInitializer(0).toBuilder().clearDims().addDims(1_000_000).addDims(1_000_000).build();
            m.getGraphBuilder().setInitializer(0, w);
            return m;
        });
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(lying));
        assertTrue(e.getMessage().contains("2^31") || e.getMessage().contains("raw_data"), e.getMessage());
        byte[] bigButFits = edited(m -> {
            TensorProto w = m.getGraph().getInitializer(0).toBuilder().clearDims().addDims(20_000).addDims(20_000).build();
            m.getGraphBuilder().setInitializer(0, w);
            return m;
        });
        ModelFormatException e2 = assertThrows(ModelFormatException.class, () -> read(bigButFits));
        assertTrue(e2.getMessage().contains("call for 1600000000 bytes but raw_data holds 768"), e2.getMessage());
    }

    @Test
    void externalDataMayNotLeaveTheModelsDirectory() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("secret.bin"), new byte[768]);
        for (String location : new String[] {"../../etc/passwd", "../secret.bin", "/etc/passwd", "sub/../../secret.bin"}) {
            Path file = models.resolve("escape.onnx");
            Files.write(file, withExternal(location, 0));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(file), location);
            assertTrue(e.getMessage().contains("leads outside the model's directory"), e.getMessage());
        }
        Files.createSymbolicLink(models.resolve("link.bin"), dir.resolve("secret.bin"));
        Files.write(models.resolve("link.onnx"), withExternal("link.bin", 0));
        ModelFormatException link = assertThrows(ModelFormatException.class, () -> ModelFiles.read(models.resolve("link.onnx")));
        assertTrue(link.getMessage().contains("is a link that leads outside"), link.getMessage());
    }

    @Test
    void externalDataShorterThanItsTensorIsRefused() throws Exception {
        Files.write(dir.resolve("model.onnx.data"), new byte[100]);
        Files.write(dir.resolve("model.onnx"), withExternal("model.onnx.data", 0));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(dir.resolve("model.onnx")));
        assertTrue(e.getMessage().contains("has only 100 bytes"), e.getMessage());
        Files.write(dir.resolve("model.onnx"), withExternal("missing.data", 0));
        ModelFormatException missing = assertThrows(ModelFormatException.class, () -> ModelFiles.read(dir.resolve("model.onnx")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    /** The good model with its first initializer (dense_0.weight, 16x12 floats) moved to external data at {@code location}. */
    private static byte[] withExternal(String location, long offset) throws Exception {
        return edited(m -> {
            TensorProto w = m.getGraph().getInitializer(0).toBuilder().clearRawData()
                    .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                    .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)))
                    .build();
            m.getGraphBuilder().setInitializer(0, w);
            return m;
        });
    }

    @Test
    void anUnsupportedOperatorIsRefusedInOneLineNamingItsNodeOpsetAndTheSupportedList() throws Exception {
        byte[] lpPool = edited(m -> {
            NodeProto n = m.getGraph().getNode(1).toBuilder().setOpType("LpPool").setName("evil_pool").build();
            m.getGraphBuilder().setNode(1, n);
            return m;
        });
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(lpPool));
        String message = e.getMessage();
        assertTrue(message.startsWith("hostile.onnx: unsupported operator 'LpPool' at node 'evil_pool' (LpPool) (opset 20); Propel imports Add,"),
                message);
        assertTrue(message.contains("Gemm") && message.contains("Softmax") && !message.contains("\n"), message);
        byte[] customDomain = edited(m -> {
            m.getGraphBuilder().setNode(1, m.getGraph().getNode(1).toBuilder().setDomain("com.evil"));
            return m;
        });
        assertTrue(assertThrows(ModelFormatException.class, () -> read(customDomain)).getMessage().contains("of domain 'com.evil'"));
    }

    @Test
    void opsetsAndIrVersionsOutsideTheSupportedRangeAreRefused() throws Exception {
        byte[] future = edited(m -> m.setOpsetImport(0, m.getOpsetImport(0).toBuilder().setVersion(99)));
        assertTrue(assertThrows(ModelFormatException.class, () -> read(future)).getMessage().contains("uses ONNX opset 99; Propel imports opsets 7 to 23"));
        byte[] ir = edited(m -> m.setIrVersion(1000));
        assertTrue(assertThrows(ModelFormatException.class, () -> read(ir)).getMessage().contains("IR version 1000"));
        assertTrue(assertThrows(ModelFormatException.class, () -> read(new byte[0])).getMessage().contains("empty file"));
        assertTrue(assertThrows(ModelFormatException.class, () -> read("not a model at all".getBytes())).getMessage()
                .contains("not"));
    }
}
