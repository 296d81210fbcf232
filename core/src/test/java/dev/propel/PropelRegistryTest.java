package dev.propel;

import dev.propel.fakes.FakeCorePlugin;
import dev.propel.fakes.FakeExtraPlugin;
import dev.propel.fakes.MisbehavingPlugins;
import dev.propel.fakes.NegateLayerFactory;
import dev.propel.fakes.PluginFixtures;
import dev.propel.fakes.ProjectLayerFactory;
import dev.propel.fakes.ScaleLayerFactory;
import dev.propel.kernel.KernelsProvider;
import dev.propel.model.ModelSpec;
import dev.propel.spi.AttributeException;
import dev.propel.spi.Optimizer;
import dev.propel.spi.PluginException;
import dev.propel.spi.PropelPlugin;
import dev.propel.spi.SpiVersion;
import dev.propel.spi.UnknownTypeException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PropelRegistryTest {

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }

    private static Propel explicit(PropelPlugin... plugins) {
        Propel.Builder b = Propel.builder().discoverPlugins(false).kernels(KernelsProvider.scalar());
        for (PropelPlugin p : plugins) b.plugin(p);
        return b.build();
    }

    @Test
    void discoversPluginsFromAServicesFileAndListsWhatTheyProvide() {
        try (Propel propel = PluginFixtures.discovered()) {
            List<PluginInfo> plugins = propel.plugins();
            assertEquals(2, plugins.size(), plugins.toString());
            PluginInfo core = plugins.get(0);
            assertEquals(FakeCorePlugin.NAME, core.name());
            assertEquals("1.0.0", core.version());
            assertEquals(SpiVersion.CURRENT, core.spiVersion());
            assertEquals(List.of("fake_project", "fake_scale"), core.layers(), "sorted type ids");
            assertEquals(List.of("fake_squared_error"), core.losses());
            assertEquals(List.of("fake_sgd"), core.optimizers());
            assertEquals("fake-core 1.0.0 (layers: fake_project, fake_scale; losses: fake_squared_error; optimizers: fake_sgd)",
                    core.summary());
            PluginInfo extra = plugins.get(1);
            assertEquals("fake-extra 2.1.0 (layers: fake_negate; losses: none; optimizers: none)", extra.summary());
            assertEquals("fake-core 1.0.0, fake-extra 2.1.0", propel.installedSummary());

            assertTrue(propel.layerFactory(ScaleLayerFactory.TYPE) instanceof ScaleLayerFactory);
            assertEquals(FakeCorePlugin.NAME, propel.providerOf("fake_sgd"));
            assertEquals(FakeExtraPlugin.NAME, propel.providerOf(NegateLayerFactory.TYPE));
            assertNull(propel.providerOf("dense"));
        }
    }

    @Test
    void aServicesFileNamingAMissingClassIsAPluginError() {
        PluginException e = assertThrows(PluginException.class,
                () -> Propel.builder().classLoader(PluginFixtures.servicesOf("missing-class"))
                        .kernels(KernelsProvider.scalar()).build());
        assertMentions(e, "META-INF/services/dev.propel.spi.PropelPlugin", "dev.propel.fakes.NoSuchPlugin");
    }

    @Test
    void explicitPluginsAddToDiscoveredOnesWithoutDuplicates() {
        try (Propel propel = Propel.builder().classLoader(PluginFixtures.servicesOf("two-plugins"))
                .kernels(KernelsProvider.scalar()).plugin(new FakeCorePlugin()).build()) {
            assertEquals(2, propel.plugins().size(), "an explicitly given plugin already discovered is not added twice");
        }
    }

    @Test
    void twoPluginsProvidingOneTypeIdNameBoth() {
        PluginException e = assertThrows(PluginException.class,
                () -> explicit(new FakeCorePlugin(), new MisbehavingPlugins.Clashing()));
        assertMentions(e, "layer type 'fake_scale'", "'fake-core'", "'fake-clash'", "remove one");
    }

    @Test
    void twoPluginsWithOneNameNameBothClasses() {
        PluginException e = assertThrows(PluginException.class,
                () -> explicit(new FakeCorePlugin(), new MisbehavingPlugins.Impostor()));
        assertMentions(e, "two plugins are named 'fake-core'", FakeCorePlugin.class.getName() + " 1.0.0",
                MisbehavingPlugins.Impostor.class.getName() + " 9.9.9");
    }

    @Test
    void anotherMajorSpiVersionNamesBothVersions() {
        PluginException e = assertThrows(PluginException.class, () -> explicit(new MisbehavingPlugins.FutureSpi()));
        assertMentions(e, "plugin 'fake-future' 3.0.0", "built for Propel SPI 3.0", "this core provides SPI 2.2",
                "same SPI major version", "install a build of the plugin made for SPI 2.x");
    }

    @Test
    void aPluginFailingToConfigureIsNamed() {
        PluginException e = assertThrows(PluginException.class, () -> explicit(new MisbehavingPlugins.Broken()));
        assertMentions(e, "'fake-broken' 0.0.1 failed to configure", "broken.properties");
    }

    @Test
    void unknownTypesListKnownIdsAndInstalledPlugins() {
        try (Propel propel = PluginFixtures.discovered()) {
            UnknownTypeException layer = assertThrows(UnknownTypeException.class, () -> propel.layerFactory("dense"));
            assertEquals("dense", layer.typeId());
            assertMentions(layer, "unknown layer type 'dense'", "fake_negate, fake_project, fake_scale",
                    "fake-core 1.0.0, fake-extra 2.1.0", "install the plugin");
            UnknownTypeException loss = assertThrows(UnknownTypeException.class, () -> propel.lossFactory("mse"));
            assertMentions(loss, "unknown loss type 'mse'", "known loss types: fake_squared_error");
            UnknownTypeException opt = assertThrows(UnknownTypeException.class, () -> propel.optimizer("adam", Map.of()));
            assertMentions(opt, "unknown optimizer type 'adam'", "known optimizer types: fake_sgd");

            ModelSpec spec = ModelSpec.builder().input(4).layer("dense", Map.of("units", 2)).loss("fake_squared_error").build();
            assertMentions(assertThrows(UnknownTypeException.class, () -> propel.build(spec, 1)), "'dense'");
        }
        try (Propel empty = explicit()) {
            assertMentions(assertThrows(UnknownTypeException.class, () -> empty.layerFactory("dense")),
                    "known layer types: none", "Installed plugins: none");
        }
    }

    @Test
    void optimizersAreMadeWithValidatedAttributes() {
        try (Propel propel = PluginFixtures.discovered()) {
            Optimizer sgd = propel.optimizer("fake_sgd", Map.of("learning_rate", 0.5));
            assertEquals(0.5f, sgd.learningRate());
            assertEquals(0.1f, propel.optimizer("fake_sgd", Map.of()).learningRate(), "default filled in");
            assertMentions(assertThrows(AttributeException.class, () -> propel.optimizer("fake_sgd", Map.of("lr", 0.5))),
                    "optimizer 'fake_sgd'", "unknown attribute 'lr'", "learning_rate");
        }
    }

    @Test
    void twoRegistriesWithDifferentPluginsCoexist() {
        try (Propel small = explicit(new FakeCorePlugin());
             Propel large = PluginFixtures.discovered()) {
            assertEquals(1, small.plugins().size());
            assertEquals(2, large.plugins().size());
            assertThrows(UnknownTypeException.class, () -> small.layerFactory(NegateLayerFactory.TYPE));
            assertTrue(large.layerFactory(NegateLayerFactory.TYPE) instanceof NegateLayerFactory);
            assertNotSame(small.layerFactory(ProjectLayerFactory.TYPE), large.layerFactory(ProjectLayerFactory.TYPE),
                    "each registry has its own factory instances");
            assertNotSame(small.kernels(), large.kernels());
            // and the first still works after the second was built
            assertSame(small.layerFactory(ScaleLayerFactory.TYPE), small.layerFactory(ScaleLayerFactory.TYPE));
            ModelSpec spec = ModelSpec.builder().input(3).layer(NegateLayerFactory.TYPE).loss("fake_squared_error").build();
            assertEquals(3, large.build(spec, 1).outputShape().size());
            assertThrows(UnknownTypeException.class, () -> small.build(spec, 1));
        }
    }
}
