package dev.propel.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Packs the example plugin's compiled classes into a jar, as {@code mvn package} in plugins/example would. */
final class PluginJars {
    private PluginJars() {
    }

    /** The example plugin's class folder, passed in by the POM (system property propel.example.classes). */
    static Path exampleClasses() {
        String dir = System.getProperty("propel.example.classes");
        if (dir == null || !Files.isDirectory(Path.of(dir, "com/example/propel"))) {
            throw new IllegalStateException("the example plugin's classes are not at '" + dir + "'; build plugins/example first"
                    + " (mvn -pl tools/cli -am test builds it)");
        }
        return Path.of(dir);
    }

    /** Writes every file under {@code classes} into {@code jar}. */
    static Path pack(Path classes, Path jar) {
        try {
            Files.createDirectories(jar.getParent());
            List<Path> files;
            try (Stream<Path> s = Files.walk(classes)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
                for (Path f : files) {
                    j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    j.write(Files.readAllBytes(f));
                    j.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
