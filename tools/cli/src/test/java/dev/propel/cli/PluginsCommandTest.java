package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginsCommandTest {

    @Test
    void listsTheStandardPluginAndItsTypes() {
        Cli r = Cli.run("plugins");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("standard \\S+ \\(SPI 2\\.2\\)")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  layers:") && l.contains("dense") && l.contains("relu")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  losses:") && l.contains("cross_entropy") && l.contains("mse")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  optimizers:") && l.contains("adam") && l.contains("sgd")), r.out());
    }

    @Test
    void describeShowsAttributes() {
        Cli r = Cli.run("plugins", "--describe");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("    dense - "), r.out());
        assertTrue(r.out().contains("units (an integer, required)"), r.out());
    }

    @Test
    void jsonListsEveryPlugin() throws IOException {
        Cli r = Cli.run("plugins", "--json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode standard = null;
        for (JsonNode p : root.get("plugins")) if (p.get("name").textValue().equals("standard")) standard = p;
        assertTrue(standard != null, r.out());
        List<String> optimizers = new ArrayList<>();
        standard.get("optimizers").forEach(n -> optimizers.add(n.textValue()));
        assertTrue(optimizers.containsAll(List.of("sgd", "momentum", "rmsprop", "adagrad", "adam", "adamw")), optimizers.toString());
        assertEquals("2.2", standard.get("spi_version").asText());
    }

    @Test
    void describeTypeShowsEveryAttributesDescriptionRangeAllowedValuesAndDefault() {
        Cli r = Cli.run("plugins", "--describe", "dense");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.getFirst().matches("dense: layer type, from plugin standard \\S+"), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("    units: .+; an integer, >= 1, required")), r.out());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("relu") || l.contains("kernels:")), "only the type asked for: " + r.out());

        Cli adam = Cli.run("plugins", "--describe", "adam");
        assertEquals(0, adam.exitCode(), adam.toString());
        assertTrue(adam.out().startsWith("adam: optimizer type, from plugin standard"), adam.out());
        assertTrue(adam.out().lines().anyMatch(l -> l.matches("    learning_rate: .+; a number, > 0, default 0\\.001")), adam.out());
        assertTrue(adam.out().lines().anyMatch(l -> l.matches("    eps: .+, default 0\\.00000001")), "plain numbers, not 1.0E-8: " + adam.out());

        Cli schedule = Cli.run("plugins", "--describe", "cosine");
        assertEquals(0, schedule.exitCode(), schedule.toString());
        assertTrue(schedule.out().startsWith("cosine: learning-rate schedule type, from core (built in)"), schedule.out());
    }

    @Test
    void describeTypeShowsAllowedValues() {
        Cli r = Cli.run("plugins", "--describe", "dense");
        assertTrue(r.out().lines().anyMatch(l -> l.matches("    activation: .+; a string, one of \\[none, relu, .+\\], default \"none\"")),
                r.out());
    }

    @Test
    void describeUnknownTypeSuggestsTheClosest() {
        Cli r = Cli.run("plugins", "--describe", "relo");
        assertEquals(Main.FAILURE, r.exitCode(), r.toString());
        assertEquals(List.of("propel: error: unknown layer type 'relo'; did you mean relu?"), r.errLines());
        Cli far = Cli.run("plugins", "--describe", "transmogrifier");
        assertEquals(Main.FAILURE, far.exitCode(), far.toString());
        assertTrue(far.err().contains("unknown type 'transmogrifier': no installed plugin provides"), far.err());
    }

    @Test
    void describeTypeAsJson() throws IOException {
        Cli r = Cli.run("plugins", "--describe", "dense", "--json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals("dense", root.get("type").textValue());
        assertEquals("layer", root.get("kind").textValue());
        JsonNode units = null;
        for (JsonNode a : root.get("attributes")) if (a.get("name").textValue().equals("units")) units = a;
        assertTrue(units != null, r.out());
        assertEquals("int", units.get("value_type").textValue());
        assertTrue(units.get("required").booleanValue());
        assertEquals(1.0, units.get("min").doubleValue());
        assertTrue(units.get("description").textValue().length() > 3, r.out());
    }

    @Test
    void closestNamesAllowOneEditPerThreeLetters() {
        assertEquals(List.of("relu"), Suggestions.closest("relo", List.of("dense", "relu", "tanh")));
        assertEquals(List.of("relu"), Suggestions.closest("rleu", List.of("dense", "relu", "tanh")));
        assertEquals(List.of(), Suggestions.closest("softplus", List.of("dense", "relu", "tanh")));
        assertEquals(List.of("cross_entropy"), Suggestions.closest("cross_entroppy", List.of("cross_entropy", "mse")));
        assertEquals(1, Suggestions.distance("ab", "ba"));
        assertEquals(3, Suggestions.distance("", "abc"));
    }
}
