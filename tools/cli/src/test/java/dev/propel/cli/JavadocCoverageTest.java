package dev.propel.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every public and protected element of the published modules (core, the standard plugin, the three formats, the
 * testkit) has a Javadoc comment, and every package a {@code package-info.java}: the API docs have no blank
 * entries. javac's doclint (on in those modules' builds) checks the comments that exist; this checks that they
 * exist, which doclint's "missing" group cannot do without also demanding every {@code @param} and {@code @return}.
 */
class JavadocCoverageTest {
    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    @Test
    void publishedApiIsDocumented() throws Exception {
        List<String> missing = JavadocCoverage.undocumented(ROOT, JavadocCoverage.PUBLISHED);
        assertEquals(List.of(), missing, missing.size() + " public elements have no Javadoc comment; write one for each "
                + "(what it does, units and shapes, what it throws)");
    }

    /** The check finds what it must: a public method without a comment, a type, a package without package-info. */
    @Test
    void findsUndocumentedElements(@TempDir Path dir) throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("m/src/main/java/p"));
        Files.writeString(pkg.resolve("A.java"), """
                package p;

                public class A {
                    /** Documented. */
                    public void documented() {
                    }

                    public void bare() {
                    }

                    @Override
                    public String toString() {
                        return "";
                    }

                    void packagePrivate() {
                    }

                    public enum E { X, Y }

                    private static class Hidden {
                        public void invisible() {
                        }
                    }
                }
                """);
        List<String> missing = JavadocCoverage.undocumented(dir, List.of("m"));
        assertEquals(List.of("m/src/main/java/p/A.java:19: enum E", "m/src/main/java/p/A.java:3: class A",
                "m/src/main/java/p/A.java:8: method bare(...)", "m/src/main/java/p: package p"), missing); // sorted as text
        assertTrue(missing.stream().noneMatch(m -> m.contains("invisible") || m.contains("toString")), missing.toString());
    }
}
