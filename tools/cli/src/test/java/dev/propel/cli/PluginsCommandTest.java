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
        assertTrue(lines.stream().anyMatch(l -> l.matches("standard \\S+ \\(SPI 2\\.1\\)")), r.out());
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
        assertEquals("2.1", standard.get("spi_version").asText());
    }
}
