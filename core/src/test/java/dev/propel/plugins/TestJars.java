package dev.propel.plugins;

import dev.propel.spi.PropelPlugin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Builds jars for the plugin-directory tests from compiled test classes, with java.util.jar. */
final class TestJars {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    /** Adds the class files of {@code types} and of their nested classes. */
    TestJars classes(Class<?>... types) {
        for (Class<?> type : types) {
            String path = type.getName().replace('.', '/');
            Path file = classesRoot(type).resolve(path + ".class");
            String simple = file.getFileName().toString().replace(".class", "");
            try (Stream<Path> siblings = Files.list(file.getParent())) {
                for (Path p : siblings.filter(p -> p.getFileName().toString().equals(simple + ".class")
                        || p.getFileName().toString().startsWith(simple + "$")).toList()) {
                    String entry = path.substring(0, path.lastIndexOf('/') + 1) + p.getFileName();
                    entries.put(entry, Files.readAllBytes(p));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return this;
    }

    /** Lists {@code plugins} in META-INF/services/dev.propel.spi.PropelPlugin. */
    TestJars services(String... pluginClassNames) {
        return text("META-INF/services/" + PropelPlugin.class.getName(), String.join("\n", pluginClassNames) + "\n");
    }

    TestJars text(String entry, String content) {
        return entry(entry, content.getBytes(StandardCharsets.UTF_8));
    }

    TestJars entry(String entry, byte[] content) {
        entries.put(entry, content);
        return this;
    }

    /** Writes the jar to {@code file} and returns it. */
    Path writeTo(Path file) {
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    jar.putNextEntry(new JarEntry(e.getKey()));
                    jar.write(e.getValue());
                    jar.closeEntry();
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path classesRoot(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
