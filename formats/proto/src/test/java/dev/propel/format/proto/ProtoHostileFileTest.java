package dev.propel.format.proto;

import com.google.protobuf.ByteString;
import dev.propel.Propel;
import dev.propel.format.proto.schema.Attribute;
import dev.propel.format.proto.schema.DType;
import dev.propel.format.proto.schema.ModelHeader;
import dev.propel.format.proto.schema.TensorInfo;
import dev.propel.format.proto.schema.TensorRole;
import dev.propel.model.ModelFormatException;
import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;
import dev.propel.model.testplugin.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files crafted to be wrong in one way each, with valid checksums so the checks behind the CRC are
 * reached: sizes that would exhaust memory, impossible shapes, unknown dtypes, contradictions.
 */
class ProtoHostileFileTest {
    private static Propel propel;
    private static ModelBytes good;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        propel = TinyModels.propel();
        Path file = dir.resolve("good.pb");
        new ProtoModelFormat(64).write(TinyModels.trained(propel, 1), file);
        good = ModelBytes.parse(Files.readAllBytes(file));
    }

    @AfterAll
    static void tearDown() {
        propel.close();
    }

    private static SavedModel read(byte[] bytes) throws Exception {
        return new ProtoModelFormat().read("hostile.pb", new ByteArrayChannel(bytes), TensorReceiver.allocating());
    }

    private static String refused(byte[] bytes) {
        return assertThrows(ModelFormatException.class, () -> read(bytes)).getMessage();
    }

    private static String refused(UnaryOperator<ModelHeader.Builder> edit) {
        return refused(good.withHeader(edit.apply(good.header().toBuilder()).build()).bytes());
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "'" + p + "' missing from: " + message);
        assertTrue(message.startsWith("hostile.pb: "), message);
    }

    @Test
    void aHugeDeclaredTensorIsRefusedBeforeAnythingIsAllocated() {
        // 2^31 − 9 floats = 8 GiB: more than this test JVM's heap, so allocating first would fail with OutOfMemoryError.
        String m = refused(h -> h.setTensors(0, h.getTensors(0).toBuilder().clearShape().addShape(Integer.MAX_VALUE - 8)
                .setByteLength((Integer.MAX_VALUE - 8L) * 4)));
        assertContains(m, "truncated", "affine_0.weight");
    }

    @Test
    void aShapeTooLargeForOneTensorIsRefused() {
        String m = refused(h -> h.setTensors(0, h.getTensors(0).toBuilder().clearShape().addShape(65536).addShape(65536)
                .setByteLength(65536L * 65536 * 4)));
        assertContains(m, "more elements than one tensor can hold");
    }

    @Test
    void negativeOrOversizedDimensionsAreRefused() {
        assertContains(refused(h -> h.setTensors(0, h.getTensors(0).toBuilder().setShape(0, -4))), "dimension 0 = -4");
        assertContains(refused(h -> h.setTensors(0, h.getTensors(0).toBuilder().setShape(0, 1L << 40))), "outside [0, 2147483647]");
    }

    @Test
    void aByteLengthThatDisagreesWithTheShapeIsRefused() {
        assertContains(refused(h -> h.setTensors(0, h.getTensors(0).toBuilder().setByteLength(4))),
                "declares 4 data bytes but its shape [4, 8] of float32 needs 128");
    }

    @Test
    void anImpossibleChunkSizeIsRefused() {
        for (int chunk : new int[]{0, 7, 12, (64 << 20) + 8}) {
            assertContains(refused(h -> h.setChunkBytes(chunk)), "chunk size " + chunk);
        }
    }

    @Test
    void aHeaderLengthBeyondTheLimitOrTheFileIsRefused() {
        byte[] bytes = good.bytes();
        byte[] huge = bytes.clone();
        // varint 0xFFFFFFFF at offset 12 (the header length).
        huge[12] = (byte) 0xFF;
        huge[13] = (byte) 0xFF;
        huge[14] = (byte) 0xFF;
        huge[15] = (byte) 0xFF;
        huge[16] = 0x0F;
        assertContains(refused(huge), "header length at byte offset 12 is 4294967295 bytes, more than");
        byte[] endless = bytes.clone();
        for (int i = 12; i < 20; i++) endless[i] = (byte) 0x80;
        assertContains(refused(endless), "not a valid 32-bit varint");
    }

    @Test
    void dtypesOfLaterVersionsAreNamedAndRefused() {
        assertContains(refused(h -> h.setTensors(0, h.getTensors(0).toBuilder().setDtype(DType.FLOAT16))),
                "dtype FLOAT16", "only FLOAT32 is supported");
        assertContains(refused(h -> h.setTensors(0, h.getTensors(0).toBuilder().setDtypeValue(77))), "dtype number 77");
    }

    @Test
    void unknownTensorRolesAndDuplicateNamesAreRefused() {
        assertContains(refused(h -> h.setTensors(0, h.getTensors(0).toBuilder().setRole(TensorRole.ROLE_UNSPECIFIED))),
                "has role 0");
        assertContains(refused(h -> h.setTensors(1, h.getTensors(1).toBuilder().setName(h.getTensors(0).getName()))),
                "appears twice");
        assertContains(refused(h -> h.clearOptimizerState()), "is optimizer state but the header records no optimizer state");
    }

    @Test
    void aHeaderThatIsNotAProtobufMessageIsRefused() {
        byte[] junk = ModelBytes.assemble(1, 0, new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, new byte[0]);
        assertContains(refused(junk), "is not a valid ModelHeader message");
        // A string field holding invalid UTF-8.
        byte[] badUtf8 = ModelHeader.newBuilder().setGraph(good.header().getGraph()).build().toByteArray();
        int at = indexOf(badUtf8, "affine_0".getBytes());
        badUtf8[at] = (byte) 0xC3;
        badUtf8[at + 1] = (byte) 0x28;
        assertContains(refused(ModelBytes.assemble(1, 0, badUtf8, new byte[0])), "is not a valid ModelHeader message");
    }

    @Test
    void graphContradictionsAreRefused() {
        assertContains(refused(h -> h.setGraph(h.getGraph().toBuilder()
                .setLayers(1, h.getGraph().getLayers(1).toBuilder().setName("affine_0")))), "the name 'affine_0' of an earlier layer");
        assertContains(refused(h -> h.setGraph(h.getGraph().toBuilder()
                .setLayers(0, h.getGraph().getLayers(0).toBuilder().setType("")))), "layer 0 'affine_0' has no type id");
        assertContains(refused(h -> h.setGraph(h.getGraph().toBuilder().clearInputShape())), "no input shape");
        assertContains(refused(h -> h.setGraph(h.getGraph().toBuilder().clearLoss())), "no loss");
        assertContains(refused(h -> h.clearGraph()), "no model graph");
        assertContains(refused(h -> h.setGraph(h.getGraph().toBuilder().setLayers(0, h.getGraph().getLayers(0).toBuilder()
                .addAttributes(Attribute.newBuilder().setName("units").setIntValue(3))))), "has attribute 'units' twice");
        assertContains(refused(h -> h.setGraph(h.getGraph().toBuilder().setLayers(0, h.getGraph().getLayers(0).toBuilder()
                .addAttributes(Attribute.newBuilder().setName("future"))))), "attribute 'future' of layer 0 'affine_0' has no value");
        assertContains(refused(h -> h.setOptimizerState(h.getOptimizerState().toBuilder().setStepCount(-1))), "negative step count");
    }

    @Test
    void aTensorOfAnotherSizeInPlaceOfTheDeclaredOneIsRefusedAtItsFraming() throws Exception {
        // Declare tensor 0 one element shorter but keep the original chunks: the file length no longer fits.
        String m = refused(h -> h.setTensors(0, h.getTensors(0).toBuilder().setShape(1, 7).setByteLength(4 * 7 * 4)));
        assertContains(m, "unexpected bytes after its last tensor");
    }

    @Test
    void extraTensorsDeclaredWithNoDataAreTruncation() {
        String m = refused(h -> h.addTensors(TensorInfo.newBuilder().setName("extra").setRole(TensorRole.PARAMETER)
                .setDtype(DType.FLOAT32).addShape(3).setByteLength(12)));
        assertContains(m, "truncated", "tensor 10 'extra' [3] ends at byte offset");
    }

    @Test
    void unknownFieldsAnywhereInTheHeaderAreIgnored() throws Exception {
        ModelHeader h = good.header();
        ByteString unknown = ByteString.copyFrom(new byte[]{(byte) 0xC2, 0x3E, 3, 'n', 'e', 'w'}); // field 1000, "new"
        byte[] withUnknown = h.toByteString().concat(unknown).toByteArray();
        SavedModel m = read(ModelBytes.assemble(1, 0, withUnknown, good.tail()));
        assertTrue(m.parameters().size() > 0);
        // Inside a nested message (the first layer) too.
        var layer = h.getGraph().getLayers(0).toBuilder()
                .mergeUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                        .addField(99, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(5).build()).build());
        byte[] nested = h.toBuilder().setGraph(h.getGraph().toBuilder().setLayers(0, layer)).build().toByteArray();
        read(ModelBytes.assemble(1, 0, nested, good.tail()));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
