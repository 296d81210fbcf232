package com.example.propel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README is a tutorial that writes this plugin's files with {@code cat > FILE <<'EOF'} blocks.
 * Each block must be exactly the file of the same name here, and every file the plugin jar is built
 * from must have its block, so that following the tutorial literally builds this plugin.
 */
class ReadmeTutorialTest {
    private static final Pattern FILE_BLOCK = Pattern.compile("cat > (\\S+) <<'EOF'\n(.*?)\nEOF\n", Pattern.DOTALL);
    /** Files the tutorial writes that are not part of the plugin (a model spec for the last step). */
    private static final List<String> NOT_PLUGIN_FILES = List.of("swish-mlp.json");

    private static Map<String, String> blocks() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = FILE_BLOCK.matcher(readme);
        while (m.find()) blocks.put(m.group(1), m.group(2) + "\n");
        return blocks;
    }

    @Test
    void everyFileTheTutorialWritesIsThePluginsFile() throws IOException {
        Map<String, String> blocks = blocks();
        assertTrue(blocks.size() > 5, "the README should write the plugin's files; found " + blocks.keySet());
        for (Map.Entry<String, String> b : blocks.entrySet()) {
            if (NOT_PLUGIN_FILES.contains(b.getKey())) continue;
            Path file = Path.of(b.getKey());
            assertTrue(Files.isRegularFile(file), "the README writes " + file + ", which this plugin does not have");
            assertEquals(Files.readString(file), b.getValue(), "the README's " + file + " differs from the file; update README.md");
        }
    }

    @Test
    void theTutorialWritesEveryFileOfThePluginJar() throws IOException {
        Map<String, String> blocks = blocks();
        List<String> needed;
        try (Stream<Path> s = Files.walk(Path.of("src/main"))) {
            needed = Stream.concat(Stream.of("pom.xml"), s.filter(Files::isRegularFile).map(p -> p.toString().replace('\\', '/')))
                    .toList();
        }
        for (String file : needed) {
            assertTrue(blocks.containsKey(file), "the README does not write " + file + ", so the tutorial's plugin would lack it");
        }
    }
}
