package dev.propel.plugins;

import dev.propel.PluginInfo;
import dev.propel.Propel;
import dev.propel.fakes.DeclaredPlugin;
import dev.propel.kernel.KernelsProvider;
import dev.propel.spi.PluginException;
import dev.propel.spi.PropelPlugin;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the registry checks when it registers a plugin: the SPI version it was built for, its name
 * and version, every type id, and that a plugin whose methods throw is still named.
 */
class PluginValidationTest {
    private static final String CLASS = DeclaredPlugin.class.getName();

    private static void assertMentions(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }

    private static Propel register(PropelPlugin plugin) {
        return Propel.builder().discoverPlugins(false).plugin(plugin).kernels(KernelsProvider.scalar()).build();
    }

    private static PluginException refused(PropelPlugin plugin) {
        return assertThrows(PluginException.class, () -> register(plugin).close());
    }

    @Test
    void aValidPluginIsRegisteredWithWhatItDeclares() {
        try (Propel propel = register(DeclaredPlugin.valid())) {
            PluginInfo info = propel.plugins().getFirst();
            assertEquals(List.of("declared", "1.0.0", "2.2", List.of("declared_identity")),
                    List.of(info.name(), info.version(), info.spiVersion(), info.layers()));
        }
    }

    @Test
    void theSameMajorWithAnOlderOrEqualMinorLoads() {
        assertNull(SpiCompatibility.refusal("2.0", "2.0"));
        assertNull(SpiCompatibility.refusal("2.0", "2.3"));
        assertNull(SpiCompatibility.refusal("2.3", "2.3"));
        assertNull(SpiCompatibility.refusal("10.12", "10.12"));
        PluginValidation.Identity id = PluginValidation.identify(DeclaredPlugin.valid().spiVersion(() -> "2.1"), "2.3");
        assertEquals("2.1", id.spiVersion());
    }

    @Test
    void aNewerMinorIsRefusedNamingBothVersionsAndTheWayOut() {
        PluginException e = refused(DeclaredPlugin.valid().spiVersion(() -> "2.3"));
        assertMentions(e, "plugin 'declared' 1.0.0", "built for Propel SPI 2.3", "this core provides SPI 2.2",
                "lacks what 2.3 added", "upgrade Propel to a release with SPI 2.3 or a later 2.x",
                "or install a build of the plugin made for SPI 2.2");
        assertMentions(assertThrows(PluginException.class,
                        () -> PluginValidation.identify(DeclaredPlugin.valid().spiVersion(() -> "2.4"), "2.3")),
                "built for Propel SPI 2.4", "this core provides SPI 2.3");
    }

    @Test
    void anotherMajorIsRefusedEitherWay() {
        for (String other : List.of("1.0", "1.7", "3.0")) {
            PluginException e = refused(DeclaredPlugin.valid().spiVersion(() -> other));
            assertMentions(e, "plugin 'declared' 1.0.0", "built for Propel SPI " + other, "this core provides SPI 2.2",
                    "a plugin runs only on a core of the same SPI major version", "made for SPI 2.x",
                    "or a Propel release with SPI " + other.charAt(0) + ".x");
        }
    }

    @Test
    void aMalformedSpiVersionIsRefused() {
        for (String bad : List.of("2", "2.0.1", "v2.0", "02.0", "2.x", "", " 2.0")) {
            PluginException e = refused(DeclaredPlugin.valid().spiVersion(() -> bad));
            assertMentions(e, "plugin 'declared' 1.0.0", "declares SPI version '" + bad + "'", "not major.minor like \"2.2\"",
                    "must return SpiVersion.CURRENT");
        }
        assertMentions(refused(DeclaredPlugin.valid().spiVersion(() -> null)), "declares SPI version null");
    }

    @Test
    void badPluginNamesAreRefusedNamingTheClass() {
        for (String bad : List.of("Standard", "my plugin", "9lives", "_x", "-x", "name.with.dots", "")) {
            PluginException e = refused(DeclaredPlugin.valid().name(() -> bad));
            assertMentions(e, "the plugin " + CLASS, "is named '" + bad + "'", "must match [a-z][a-z0-9_-]*");
        }
        assertMentions(refused(DeclaredPlugin.valid().name(() -> null)), "is named null");
        try (Propel propel = register(DeclaredPlugin.valid().name(() -> "a_b-2"))) {
            assertEquals("a_b-2", propel.plugins().getFirst().name());
        }
    }

    @Test
    void aHostileNameIsQuotedSafely() {
        String hostile = "evil\nplugin\u0000\u001b[31m" + "x".repeat(300);
        PluginException e = refused(DeclaredPlugin.valid().name(() -> hostile));
        assertMentions(e, "is named 'evil\\nplugin\\u0000\\u001b[31mxxx", "... (" + hostile.length() + " characters)");
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\u0000") || e.getMessage().contains("\u001b"),
                e.getMessage());
        assertFalse(e.getMessage().contains("x".repeat(PluginText.MAX_LENGTH)), "the long name is cut");
    }

    @Test
    void badVersionsAreRefused() {
        for (String bad : List.of("", " ", "1.0 beta", "1.0\n")) {
            PluginException e = refused(DeclaredPlugin.valid().version(() -> bad));
            assertMentions(e, "plugin 'declared'", "has version '" + PluginText.escape(bad) + "'", "without spaces");
        }
        assertMentions(refused(DeclaredPlugin.valid().version(() -> null)), "has version null");
    }

    @Test
    void aPluginWhoseNameOrVersionThrowsIsNamedByItsClass() {
        PluginException name = refused(DeclaredPlugin.valid().name(() -> {
            throw new IllegalStateException("no name configured");
        }));
        assertMentions(name, "the plugin " + CLASS, "failed in name()", "IllegalStateException: no name configured",
                "fix or remove the plugin");
        PluginException version = refused(DeclaredPlugin.valid().version(() -> {
            throw new UnsupportedOperationException("version.properties missing");
        }));
        assertMentions(version, "the plugin " + CLASS, "failed in version()", "version.properties missing");
    }

    @Test
    void badTypeIdsAreRefusedNamingThePluginAndTheFactory() {
        for (String bad : List.of("Dense", "my-layer", "layer norm", "1d", "_x", "")) {
            PluginException e = refused(DeclaredPlugin.valid().typeId(() -> bad));
            assertMentions(e, "layer factory " + DeclaredPlugin.Factory.class.getName() + " of plugin 'declared'",
                    "has type id '" + bad + "'", "must match [a-z][a-z0-9_]*");
        }
        assertMentions(refused(DeclaredPlugin.valid().typeId(() -> null)), "has type id null");
        assertMentions(refused(DeclaredPlugin.valid().typeId(() -> "tab\there")), "has type id 'tab\\there'");
        PluginException thrown = refused(DeclaredPlugin.valid().typeId(() -> {
            throw new IllegalStateException("id table missing");
        }));
        assertMentions(thrown, "layer factory " + DeclaredPlugin.Factory.class.getName() + " of plugin 'declared'",
                "failed in typeId()", "id table missing");
    }

    @Test
    void pluginTextEscapesControlCharactersAndCutsLongText() {
        assertEquals("'plain'", PluginText.quote("plain"));
        assertEquals("null", PluginText.quote(null));
        assertEquals("'a\\tb\\r\\n\\u0007\\u200b\\\\ \\'q\\''", PluginText.quote("a\tb\r\n\u0007\u200b\\ 'q'"));
        assertEquals("'π😀'", PluginText.quote("π😀"), "printable non-ASCII text stays readable");
        assertEquals("'\\ud83d'", PluginText.quote("\ud83d"), "a lone surrogate is escaped");
        String cut = PluginText.escape("y".repeat(99) + "😀");
        assertEquals("y".repeat(99) + "\\ud83d... (101 characters)", cut, "a pair split by the cut is escaped");
        assertEquals("z".repeat(100), PluginText.escape("z".repeat(100)), "100 characters are kept whole");
    }
}
