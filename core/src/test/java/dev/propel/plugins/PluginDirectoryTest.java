package dev.propel.plugins;

import dev.propel.PluginInfo;
import dev.propel.Propel;
import dev.propel.fakes.FakeCorePlugin;
import dev.propel.fakes.jar.BorrowingPlugin;
import dev.propel.fakes.jar.Flavor;
import dev.propel.fakes.jar.FlavorLayerFactory;
import dev.propel.fakes.jar.FlavorPlugin;
import dev.propel.fakes.jar.FutureSpiPlugin;
import dev.propel.fakes.jar.InternalsPlugin;
import dev.propel.fakes.jar.NamelessPlugin;
import dev.propel.kernel.KernelsProvider;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.spi.PluginException;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plugins loaded from a directory: each jar (or folder of jars) in its own class loader that shares
 * only the plugin API packages and Guice with the host, and a clear error for every way a plugin directory can be wrong.
 * The jars are built here from the compiled test classes.
 */
class PluginDirectoryTest {
    @TempDir
    Path dir;

    private static void assertMentions(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }

    private static TestJars flavorPlugin(String flavor) {
        return new TestJars().classes(FlavorPlugin.class, FlavorLayerFactory.class, Flavor.class)
                .text("dev/propel/fakes/jar/flavor.txt", flavor)
                .services(FlavorPlugin.class.getName());
    }

    private Propel load(Path... directories) {
        Propel.Builder b = Propel.builder().discoverPlugins(false).kernels(KernelsProvider.scalar());
        for (Path d : directories) b.pluginDirectory(d);
        return b.build();
    }

    @Test
    void loadsAPluginJarInItsOwnClassLoader() {
        Path jar = flavorPlugin("plugin").writeTo(dir.resolve("flavored-3.1.0.jar"));
        try (Propel propel = load(dir)) {
            PluginInfo info = propel.plugins().getFirst();
            assertEquals("flavored 3.1.0 (layers: flavor_identity; losses: none; optimizers: none)", info.summary());
            assertEquals("2.2", info.spiVersion());
            assertEquals(jar, propel.pluginLocation("flavored"));
            // The plugin linked against the Flavor class in its own jar, not the host's copy.
            assertEquals("identity; library flavor plugin", propel.layerFactory("flavor_identity").description());
            assertEquals("host", Flavor.name());
            Class<?> pluginClass = propel.layerFactory("flavor_identity").getClass();
            assertNotSame(FlavorLayerFactory.class, pluginClass);
            assertEquals(FlavorLayerFactory.class.getName(), pluginClass.getName());
        }
    }

    @Test
    void aPluginSharesTheApiPackagesAndGuiceButNothingElseOfTheHost() throws Exception {
        flavorPlugin("plugin").writeTo(dir.resolve("flavored.jar"));
        try (Propel propel = load(dir)) {
            ClassLoader loader = propel.layerFactory("flavor_identity").getClass().getClassLoader();
            assertSame(dev.propel.spi.Layer.class, loader.loadClass("dev.propel.spi.Layer"));
            assertSame(Tensor.class, loader.loadClass("dev.propel.tensor.Tensor"));
            assertSame(dev.propel.kernel.Kernels.class, loader.loadClass("dev.propel.kernel.Kernels"));
            assertSame(com.google.inject.Module.class, loader.loadClass("com.google.inject.Module"));
            // The rest of the core is internal: not the registry, not the model classes.
            for (String internal : List.of("dev.propel.Propel", "dev.propel.model.ModelSpec", "dev.propel.plugins.PluginApi")) {
                ClassNotFoundException e = assertThrows(ClassNotFoundException.class, () -> loader.loadClass(internal));
                assertMentions(e, internal, "dev.propel.spi, dev.propel.tensor, dev.propel.kernel", "internal");
            }
            assertSame(jakarta.inject.Inject.class, loader.loadClass("jakarta.inject.Inject"));
            // Test classes of the host are not part of the core API, and Guava is Guice's business.
            ClassNotFoundException e = assertThrows(ClassNotFoundException.class,
                    () -> loader.loadClass(FakeCorePlugin.class.getName()));
            assertMentions(e, FakeCorePlugin.class.getName());
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.google.common.collect.ImmutableList"));
            assertNull(loader.getResource("META-INF/services/dev.propel.spi.PropelPlugin".replace("services", "services-none")));
        }
    }

    @Test
    void aPluginFolderHoldsThePluginJarAndTheJarsItDependsOn() {
        Path folder = dir.resolve("flavored");
        new TestJars().classes(FlavorPlugin.class, FlavorLayerFactory.class).services(FlavorPlugin.class.getName())
                .writeTo(folder.resolve("flavored-3.1.0.jar"));
        new TestJars().classes(Flavor.class).text("dev/propel/fakes/jar/flavor.txt", "library 2.0")
                .writeTo(folder.resolve("flavor-lib-2.0.jar"));
        try (Propel propel = load(dir)) {
            assertEquals("identity; library flavor library 2.0", propel.layerFactory("flavor_identity").description());
            assertEquals(folder, propel.pluginLocation("flavored"));
        }
    }

    @Test
    void theSamePluginInTwoDirectoriesIsRefusedNamingBothJars() {
        Path first = flavorPlugin("one").writeTo(dir.resolve("a/flavored.jar"));
        Path second = flavorPlugin("two").writeTo(dir.resolve("b/flavored.jar"));
        PluginException e = assertThrows(PluginException.class, () -> load(dir.resolve("a"), dir.resolve("b")));
        assertMentions(e, "two plugins are named 'flavored'", first.toString(), second.toString(), "remove one of them");
    }

    @Test
    void aPluginBuiltForANewerMinorSpiVersionIsRefusedNamingBothVersionsAndTheJar() {
        Path jar = new TestJars().classes(FutureSpiPlugin.class, FlavorLayerFactory.class, Flavor.class)
                .services(FutureSpiPlugin.class.getName()).writeTo(dir.resolve("future-9.0.0.jar"));
        PluginException e = assertThrows(PluginException.class, () -> load(dir));
        assertMentions(e, "plugin 'future' 9.0.0", jar.toString(), "built for Propel SPI 2.3",
                "this core provides SPI 2.2", "upgrade Propel to a release with SPI 2.3", "a build of the plugin made for SPI 2.2");
    }

    @Test
    void aPluginThatNeedsAHostClassOutsideTheApiFailsNamingTheClass() {
        Path jar = new TestJars().classes(BorrowingPlugin.class).services(BorrowingPlugin.class.getName())
                .writeTo(dir.resolve("borrowing.jar"));
        PluginException e = assertThrows(PluginException.class, () -> load(dir));
        assertMentions(e, "plugin 'borrowing' 1.0.0", jar.toString(), "NegateLayerFactory", "bundle");
    }

    @Test
    void aPluginThatUsesACoreClassOutsideTheApiFailsNamingTheClassAndTheApiPackages() {
        Path jar = new TestJars().classes(InternalsPlugin.class, FlavorLayerFactory.class, Flavor.class)
                .services(InternalsPlugin.class.getName()).writeTo(dir.resolve("internals.jar"));
        PluginException e = assertThrows(PluginException.class, () -> load(dir));
        assertMentions(e, "plugin 'internals' 1.0.0", jar.toString(), "dev.propel.model.ModelSpec is neither in the plugin's jars nor visible to plugins",
                "packages dev.propel.spi, dev.propel.tensor, dev.propel.kernel");
    }

    @Test
    void aPluginWhoseNameThrowsIsNamedByItsJar() {
        Path jar = new TestJars().classes(NamelessPlugin.class, FlavorLayerFactory.class, Flavor.class)
                .services(NamelessPlugin.class.getName()).writeTo(dir.resolve("nameless-1.0.jar"));
        PluginException e = assertThrows(PluginException.class, () -> load(dir));
        assertMentions(e, "the plugin " + NamelessPlugin.class.getName() + " (from " + jar + ")", "failed in name()",
                "plugin-name.txt is missing");
    }

    @Test
    void aPluginBuiltForSpi1IsRefusedAsBuiltForAnOlderSpi() {
        // An SPI 1 plugin's class, as javac made it then: spiVersion() returns an int.
        Path jar = new TestJars().entry("org/example/old/Spi1Plugin.class", Spi1Classes.plugin("org.example.old.Spi1Plugin"))
                .services("org.example.old.Spi1Plugin").writeTo(dir.resolve("old-1.0.jar"));
        PluginException e = assertThrows(PluginException.class, () -> load(dir));
        assertMentions(e, "the plugin org.example.old.Spi1Plugin (from " + jar + ")", "does not implement spiVersion()",
                "built for an older SPI", "install a build of the plugin made for SPI 2.2");
    }

    @Test
    void aJarWithoutAServicesFileIsRefused() {
        Path jar = new TestJars().classes(Flavor.class).writeTo(dir.resolve("library.jar"));
        PluginException e = assertThrows(PluginException.class, () -> load(dir));
        assertMentions(e, jar.toString(), "holds no Propel plugin", "META-INF/services/dev.propel.spi.PropelPlugin",
                "folder together with the plugin jar");
    }

    @Test
    void aServicesFileNamingAMissingClassIsRefused() {
        Path jar = new TestJars().classes(Flavor.class).services("org.example.NoSuchPlugin").writeTo(dir.resolve("broken.jar"));
        PluginException e = assertThrows(PluginException.class, () -> load(dir));
        assertMentions(e, jar.toString(), "org.example.NoSuchPlugin", "could not be loaded");
    }

    @Test
    void aCorruptJarIsRefusedNamingTheFile() throws IOException {
        Path jar = Files.write(dir.resolve("truncated.jar"), new byte[] {'P', 'K', 3, 4, 0, 0});
        PluginException e = assertThrows(PluginException.class, () -> load(dir));
        assertMentions(e, jar.toString(), "cannot be read as a jar", "intact copy");
    }

    @Test
    void aMissingOrEmptyPluginDirectoryIsExplained() throws IOException {
        PluginException missing = assertThrows(PluginException.class, () -> load(dir.resolve("nope")));
        assertMentions(missing, dir.resolve("nope").toString(), "does not exist");
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        assertMentions(assertThrows(PluginException.class, () -> load(file)), "is not a directory");
        Path empty = Files.createDirectories(dir.resolve("plugins/empty-folder"));
        assertMentions(assertThrows(PluginException.class, () -> load(dir.resolve("plugins"))), empty.toString(),
                "holds no .jar files");
    }

    @Test
    void otherFilesAndHiddenEntriesAreIgnored() throws IOException {
        flavorPlugin("plugin").writeTo(dir.resolve("flavored.jar"));
        Files.writeString(dir.resolve("README.txt"), "plugins go here");
        Files.createDirectories(dir.resolve(".cache"));
        try (Propel propel = load(dir)) {
            assertEquals(List.of("flavored"), propel.plugins().stream().map(PluginInfo::name).toList());
        }
        try (Propel propel = load(Files.createDirectory(dir.resolve("none")))) {
            assertTrue(propel.plugins().isEmpty());
        }
    }

    @Test
    void aDirectoryPluginBuildsAndRunsModelsWithTheHostsPlugins() {
        flavorPlugin("plugin").writeTo(dir.resolve("flavored.jar"));
        try (Propel propel = Propel.builder().discoverPlugins(false).plugin(new FakeCorePlugin()).pluginDirectory(dir)
                .kernels(KernelsProvider.scalar()).build()) {
            Model model = propel.build(ModelSpec.builder().input(3).layer("flavor_identity").layer("fake_scale")
                    .loss("fake_squared_error").build(), 1);
            Tensor y = model.predict(Tensor.of(new float[] {1, 2, 3}, 1, 3));
            assertArrayEquals(new float[] {2, 4, 6}, y.toArray());
            assertEquals("flavored", propel.providerOf("flavor_identity"));
        }
    }

    @Test
    void closingTheRegistryClosesThePluginClassLoaders() {
        flavorPlugin("plugin").writeTo(dir.resolve("flavored.jar"));
        ClassLoader loader;
        try (Propel propel = load(dir)) {
            loader = propel.layerFactory("flavor_identity").getClass().getClassLoader();
            assertNotNull(loader.getResource("dev/propel/fakes/jar/flavor.txt"));
        }
        assertNull(loader.getResource("dev/propel/fakes/jar/flavor.txt"), "a closed loader no longer reads its jar");
    }
}
