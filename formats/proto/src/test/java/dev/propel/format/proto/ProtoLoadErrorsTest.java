package dev.propel.format.proto;

import dev.propel.Propel;
import dev.propel.format.proto.schema.Attribute;
import dev.propel.format.proto.schema.ModelHeader;
import dev.propel.kernel.KernelsProvider;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelFormatException;
import dev.propel.model.testplugin.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files that are well-formed but do not fit the installed plugins, or come from another format version. */
class ProtoLoadErrorsTest {
    private static Propel propel;
    private static ModelBytes good;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        propel = TinyModels.propel();
        Path file = dir.resolve("good.pb");
        ModelFiles.save(TinyModels.trained(propel, 1), file);
        good = ModelBytes.parse(Files.readAllBytes(file));
    }

    @AfterAll
    static void tearDown() {
        propel.close();
    }

    private static Path write(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static String loadFails(Propel registry, byte[] bytes) throws Exception {
        Path file = write("bad.pb", bytes);
        String m = assertThrows(ModelFormatException.class, () -> ModelFiles.load(registry, file)).getMessage();
        assertTrue(m.startsWith(file + ": "), m);
        return m;
    }

    private static String loadFails(UnaryOperator<ModelHeader.Builder> edit) throws Exception {
        return loadFails(propel, good.withHeader(edit.apply(good.header().toBuilder()).build()).bytes());
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "'" + p + "' missing from: " + message);
    }

    @Test
    void anUnknownLayerTypeNamesTheTypeThePluginThatProvidedItAndThoseInstalled() throws Exception {
        try (Propel bare = Propel.builder().kernels(KernelsProvider.scalar()).discoverPlugins(false).build()) {
            String m = loadFails(bare, good.bytes());
            assertContains(m, "layer 0 'affine_0' has type 'affine', which no installed plugin provides",
                    "The file records that plugin 'tiny' 1.2.3 provided it", "Installed plugins: none");
        }
    }

    @Test
    void anUnknownTypeTheFileDoesNotAttributeSaysSo() throws Exception {
        String m = loadFails(h -> h.setGraph(h.getGraph().toBuilder()
                .setLayers(1, h.getGraph().getLayers(1).toBuilder().setType("conv9d"))));
        assertContains(m, "layer 1 'tanh_1' has type 'conv9d'", "does not record which plugin provided it",
                "Installed plugins: tiny 1.2.3");
    }

    @Test
    void anUnknownLossTypeIsNamed() throws Exception {
        String m = loadFails(h -> h.setGraph(h.getGraph().toBuilder().setLoss(h.getGraph().getLoss().toBuilder().setType("huber"))));
        assertContains(m, "the loss has type 'huber'");
    }

    @Test
    void attributesTheInstalledPluginRejectsAreReportedWithTheLayer() throws Exception {
        String m = loadFails(h -> h.setGraph(h.getGraph().toBuilder().setLayers(0, h.getGraph().getLayers(0).toBuilder()
                .setAttributes(0, Attribute.newBuilder().setName("units").setStringValue("eight")))));
        assertContains(m, "cannot be built with the installed plugins (tiny 1.2.3)", "attribute 'units' must be an integer");
    }

    @Test
    void attributesAskingForAHugeModelGiveAFormatErrorNotAnOutOfMemoryError() throws Exception {
        // 4 inputs × 500M units = 2·10^9 floats = 8 GB: more than the test heap. The tensors in the file are small.
        String m = loadFails(h -> h.setGraph(h.getGraph().toBuilder().setLayers(0, h.getGraph().getLayers(0).toBuilder()
                .setAttributes(0, Attribute.newBuilder().setName("units").setIntValue(500_000_000)))));
        assertContains(m, "needs more memory than this JVM has");
    }

    @Test
    void aRecordedShapeThePluginNoLongerBuildsNamesThePluginVersions() throws Exception {
        String m = loadFails(h -> h.setGraph(h.getGraph().toBuilder().setLayers(0, h.getGraph().getLayers(0).toBuilder()
                .setOutputShape(0, 9))));
        assertContains(m, "layer 'affine_0' (affine) was saved with output shape [9]", "builds [8]",
                "written with plugin 'tiny' 1.2.3");
    }

    @Test
    void aParameterTheModelLacksOrOfAnotherShapeIsRefused() throws Exception {
        assertContains(loadFails(h -> h.setTensors(1, h.getTensors(1).toBuilder().setName("affine_0.gamma"))),
                "holds parameter tensor 'affine_0.gamma' but the model built from its graph has no such parameter");
        assertContains(loadFails(h -> h.setTensors(0, h.getTensors(0).toBuilder().setShape(0, 8).setShape(1, 4))),
                "parameter tensor 'affine_0.weight' has shape [8, 4] in the file but the model built from its graph expects [4, 8]");
    }

    @Test
    void aMissingParameterIsNamed() throws Exception {
        ModelHeader.Builder h = good.header().toBuilder();
        // Drop tensor 1 (affine_0.bias: 8 floats in one chunk) from the directory and its chunk from the data.
        long chunk = FileLayout.tensorSectionBytes(8 * 4, good.header().getChunkBytes());
        long weightChunk = FileLayout.tensorSectionBytes(4 * 8 * 4, good.header().getChunkBytes());
        byte[] tail = good.tail();
        byte[] newTail = new byte[(int) (tail.length - chunk)];
        System.arraycopy(tail, 0, newTail, 0, (int) weightChunk);
        System.arraycopy(tail, (int) (weightChunk + chunk), newTail, (int) weightChunk, (int) (tail.length - weightChunk - chunk));
        h.removeTensors(1);
        String m = loadFails(propel, good.withHeader(h.build()).withTail(newTail).bytes());
        assertContains(m, "parameter 'affine_0.bias' [8] is missing from the file");
    }

    @Test
    void aNewerMajorVersionIsRefusedWithTheWayOut() throws Exception {
        String m = loadFails(propel, good.withVersion(2, 0).bytes());
        assertContains(m, "written in model format version 2.0, newer than this Propel reads (1.x); upgrade Propel");
        assertContains(loadFails(propel, good.withVersion(0, 3).bytes()), "format version 0.3", "never used");
    }

    @Test
    void aNewerMinorVersionLoads() throws Exception {
        Path file = write("minor.pb", good.withVersion(1, 9).bytes());
        assertEquals(4, ModelFiles.load(propel, file).model().layers().size());
    }

    @Test
    void aSingleInputLayerWiredToTwoInputsIsExplained() throws Exception {
        String m = loadFails(h -> h.setGraph(h.getGraph().toBuilder().setLayers(2, h.getGraph().getLayers(2).toBuilder()
                .clearInputs().addInputs("affine_0").addInputs("tanh_1"))));
        assertContains(m, "cannot be built", "layer 'shift_2' (shift) reads one input but the spec gives it 2: [affine_0, tanh_1]",
                "combine them first with 'add' or 'concat'");
    }

    @Test
    void aGraphWithACycleIsExplained() throws Exception {
        String m = loadFails(h -> h.setGraph(h.getGraph().toBuilder().setLayers(0, h.getGraph().getLayers(0).toBuilder()
                .clearInputs().addInputs("shift_2"))));
        assertContains(m, "cannot be built", "has a cycle", "affine_0 <- [shift_2]");
    }

    @Test
    void aLayerReadingAnUnknownLayerIsExplained() throws Exception {
        String m = loadFails(h -> h.setGraph(h.getGraph().toBuilder().setLayers(1, h.getGraph().getLayers(1).toBuilder()
                .clearInputs().addInputs("nowhere"))));
        assertContains(m, "reads 'nowhere', which is no layer of the model");
    }
}
