package dev.propel.testkit;

import dev.propel.Propel;
import dev.propel.testkit.fixtures.UndeclaredPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each planted bug is caught by the contract meant for it, and the failure names the contract, the
 * case and the numbers.
 */
class ContractsCatchBugsTest {
    private static final Propel PROPEL = Testkit.propel();

    private static LayerCase layer(String bug) {
        return LayerCase.of("fixture_scale", Map.of("gain", 1.5, "bug", bug)).inputShape(17);
    }

    private static void assertFails(String contract, List<String> fragments, Runnable check) {
        ContractFailure f = assertThrows(ContractFailure.class, check::run);
        assertEquals(contract, f.contract(), f.getMessage());
        for (String s : fragments) assertTrue(f.getMessage().contains(s), "'" + s + "' missing from: " + f.getMessage());
    }

    private static Map<String, BiConsumer<Propel, LayerCase>> layerChecks() {
        return Map.of("identity", LayerChecks::identity, "wrong shapes", LayerChecks::wrongShapesRejected,
                "gradients", LayerChecks::gradients, "input gradient skipped", LayerChecks::inputGradientSkipped,
                "buffers reused", LayerChecks::buffersReused, "determinism", LayerChecks::determinism,
                "concurrent passes", LayerChecks::concurrentPasses, "save/load round trip", LayerChecks::saveLoadRoundTrip,
                "aliasing", LayerChecks::aliasing, "state", LayerChecks::state);
    }

    private static void assertLayerFails(String contract, LayerCase c, String fragments) {
        List<String> expected = new java.util.ArrayList<>(List.of("layer contract '" + contract + "' failed for " + c.typeId()));
        for (String f : fragments.split(";")) expected.add(f.strip());
        assertFails(contract, expected, () -> layerChecks().get(contract).accept(PROPEL, c));
    }

    @ParameterizedTest(name = "{0} is caught by ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "wrong_input_gradient         | gradients              | input gradient; worst element [; analytic; numeric",
            "overwrites_gradient          | gradients              | parameter 's'; not accumulated",
            "no_shape_check               | wrong shapes           | forward on an input of shape [3, 18] did not throw",
            "shared_buffer                | concurrent passes      | 4 threads at once; expected exactly",
            "allocates                    | buffers reused         | allocated 1 new buffer",
            "random_init                  | determinism            | parameter 's' of a second layer made with the same seed",
            "ignores_needs_input_gradient | input gradient skipped | needsInputGradient() is false",
            "wrong_attributes             | identity               | attributes() (what the formats save) is {}",
            "unsaved_state                | save/load round trip   | prediction of the model loaded from its .pb file",
            "writes_output_gradient       | aliasing               | the output gradient after backward",
            "writes_saved                 | aliasing               | the tensor saved as 'x' after backward",
    })
    void layerBugs(String bug, String contract, String fragments) {
        List<String> expected = new java.util.ArrayList<>(List.of("layer contract '" + contract + "' failed for fixture_scale"));
        for (String f : fragments.split(";")) expected.add(f.strip());
        assertFails(contract, expected, () -> layerChecks().get(contract).accept(PROPEL, layer(bug)));
    }

    /** At gain 1 the view holds the right values, so only the aliasing rule can tell. */
    @Test
    void anOutputThatViewsTheInputIsCaught() {
        assertLayerFails("aliasing", LayerCase.of("fixture_scale", Map.of("gain", 1, "bug", "returns_input_view")).inputShape(17),
                "inference forward returned a tensor sharing the array of its input");
    }

    private static LayerCase weightedSum(String bug) {
        return LayerCase.of("fixture_weighted_sum", Map.of("bug", bug)).inputShapes(new int[] {17}, new int[] {17}, new int[] {17});
    }

    @ParameterizedTest(name = "{0} is caught by ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "wrong_second_gradient        | gradients              | input gradient of input 1; analytic",
            "ignores_needs_input_gradient | input gradient skipped | a gradient for input 0; needsInputGradient(i) is [false, true, true]",
            "unchecked_second_input       | wrong shapes           | forward on input 1 of shape [3, 18] did not throw",
            "returns_first_input          | aliasing               | inference forward returned input 0",
    })
    void multiInputLayerBugs(String bug, String contract, String fragments) {
        assertLayerFails(contract, weightedSum(bug), fragments);
    }

    @Test
    void theFactoryMustRefuseDeclaredInputSets() {
        assertFails("wrong shapes", List.of("creating the layer for per-sample input shape ([17], [17]) did not throw"),
                () -> LayerChecks.wrongShapesRejected(PROPEL, weightedSum("none").rejectsInputShapes(new int[] {17}, new int[] {17})));
    }

    @ParameterizedTest(name = "{0} is caught by ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "updates_at_inference | state | state 'mean' of the layer after an inference forward",
            "state_is_parameter   | state | state tensor 'mean' is (or shares its array or name with) parameter 's'",
            "copied_state         | state | state() returned a different tensor for 'mean'",
    })
    void stateBugs(String bug, String contract, String fragments) {
        assertLayerFails(contract, LayerCase.of("fixture_tracker", Map.of("bug", bug)).inputShape(17), fragments);
    }

    @Test
    void correctLayerPassesEveryContractInOneCall() {
        LayerChecks.all(PROPEL, layer("none").inputShape(2, 5));
    }

    @Test
    void layerInputShapesThatAreAllVectorMultiplesAreRefused() {
        assertFails("gradients", List.of("multiple of 8", "[17]"),
                () -> LayerChecks.gradients(PROPEL, LayerCase.of("fixture_scale", Map.of("gain", 1)).inputShape(16).inputShape(4, 8)));
    }

    @Test
    void theFactoryMustRefuseDeclaredInputShapes() {
        assertFails("wrong shapes", List.of("per-sample input shape [17] did not throw"),
                () -> LayerChecks.wrongShapesRejected(PROPEL, layer("none").rejectsInputShape(17)));
    }

    @Test
    void declaredAttributeErrorsMustBeRaisedWithTheirMessage() {
        assertFails("attribute errors", List.of("should mention 'beta'"), () -> LayerChecks.attributeErrors(PROPEL,
                layer("none").rejects(new InvalidAttributes(Map.of("gain", -1), "'beta'"))));
        assertFails("attribute errors", List.of("did not throw"), () -> LayerChecks.attributeErrors(PROPEL,
                layer("none").rejects(new InvalidAttributes(Map.of("gain", 3)))));
    }

    @Test
    void aMissingTypeNamesTheInstalledPlugins() {
        assertFails("identity", List.of("unknown layer type 'no_such_layer'", "testkit-fixtures"),
                () -> LayerChecks.identity(PROPEL, LayerCase.of("no_such_layer").inputShape(3)));
    }

    @ParameterizedTest(name = "{0} is caught by ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "wrong_gradient | gradients      | gradient with respect to the predictions; analytic",
            "no_shape_check | wrong shapes   | did not throw",
            "shared_scratch | concurrent use | 4 threads",
    })
    void lossBugs(String bug, String contract, String fragments) {
        LossCase c = LossCase.of("fixture_half_square", Map.of("bug", bug)).shape(3, 17);
        Map<String, BiConsumer<Propel, LossCase>> checks = Map.of("gradients", LossChecks::gradients,
                "wrong shapes", LossChecks::wrongShapesRejected, "concurrent use", LossChecks::concurrentUse);
        List<String> expected = new java.util.ArrayList<>(List.of("loss contract '" + contract + "' failed for fixture_half_square"));
        for (String f : fragments.split(";")) expected.add(f.strip());
        assertFails(contract, expected, () -> checks.get(contract).accept(PROPEL, c));
    }

    @ParameterizedTest(name = "{0} is caught by ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "ascent               | descent          | after 200 steps at learning rate 0.05; expected at most 50.0%",
            "ignores_rate         | learning rate    | after a step at learning rate 0",
            "keeps_loaded_tensors | state round trip | loadState must copy it",
            "forgets_state        | state round trip | with state saved and restored after 2",
            "no_rate_check        | learning rate    | step at learning rate NaN did not throw",
            "forgets_state        | save/load round trip | resumed after 2 from the optimizer restored from its .pb file",
    })
    void optimizerBugs(String bug, String contract, String fragments) {
        OptimizerCase c = OptimizerCase.of("fixture_momentum", Map.of("bug", bug));
        Map<String, BiConsumer<Propel, OptimizerCase>> checks = Map.of("descent", OptimizerChecks::descent,
                "learning rate", OptimizerChecks::learningRateHonoured, "state round trip", OptimizerChecks::stateRoundTrip,
                "save/load round trip", OptimizerChecks::saveLoadRoundTrip);
        List<String> expected = new java.util.ArrayList<>(List.of("optimizer contract '" + contract + "' failed for fixture_momentum"));
        for (String f : fragments.split(";")) expected.add(f.strip());
        assertFails(contract, expected, () -> checks.get(contract).accept(PROPEL, c));
    }

    @Test
    void roundTripsNeedTheSupportTypesAndSaySo() {
        try (Propel bare = Propel.builder().discoverPlugins(false).plugin(new dev.propel.testkit.fixtures.FixturePlugin())
                .kernels(dev.propel.kernel.KernelsProvider.scalar()).build()) {
            assertFails("save/load round trip", List.of("'testkit_scale'", "new TestkitSupportPlugin()"),
                    () -> LayerChecks.saveLoadRoundTrip(bare, layer("none")));
        }
    }

    @Test
    void aPluginMustDeclareItsSpiVersionAndListItself() {
        assertFails("declaration", List.of("plugin 'undeclared'", "built for Propel SPI 1.0", "this core provides SPI 2.2",
                        "install a build of the plugin made for SPI 2.x"),
                () -> PluginChecks.declaration(new UndeclaredPlugin()));
        assertFails("discoverable", List.of("META-INF/services/dev.propel.spi.PropelPlugin",
                        UndeclaredPlugin.class.getName()),
                () -> PluginChecks.discoverable(new UndeclaredPlugin()));
    }
}
