package dev.propel.dist;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution as a user gets it: propel-VERSION.tar.gz unpacked into an empty directory outside the source
 * tree, run with {@code bin/propel} on this JDK (JAVA_HOME) and a PATH without Maven.
 */
class DistributionTest {
    private static final String VERSION = System.getProperty("propel.version");

    @TempDir
    static Path dir;
    private static Path home;

    private record Result(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("propel.dist.tarball"));
        assertTrue(Files.isRegularFile(tarball), "mvn package made " + tarball);
        Result r = run(dir, List.of("tar", "-xzf", tarball.toString()));
        assertEquals(0, r.exitCode(), r.toString());
        home = dir.resolve("propel-" + VERSION);
    }

    private static Result run(Path workDir, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PATH", "/usr/bin:/bin"); // no Maven needed: /usr/bin/mvn, if any, is never called
        pb.environment().remove("PROPEL_JAVA_OPTS");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "finished: " + command);
        return new Result(p.exitValue(), out, Files.readString(err));
    }

    @Test
    void holdsTheLauncherEveryJarAndTheDocs() throws IOException {
        assertTrue(Files.isExecutable(home.resolve("bin/propel")), "bin/propel is executable");
        assertTrue(Files.isRegularFile(home.resolve("libexec/propel-common.sh")));
        assertTrue(Files.isRegularFile(home.resolve("README.md")));
        assertTrue(Files.isRegularFile(home.resolve("docs/cli.md")));
        assertTrue(Files.isRegularFile(home.resolve("docs/embedding.md")));
        assertTrue(Files.isRegularFile(home.resolve("examples/mlp.json")));
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).sorted().toList();
            for (String module : List.of("propel-cli", "propel-core", "propel-plugin-standard", "propel-format-proto",
                    "propel-format-json", "propel-format-onnx", "picocli", "guice", "protobuf-java")) {
                assertTrue(names.stream().anyMatch(n -> n.startsWith(module + "-") && n.endsWith(".jar")),
                        "lib/ holds " + module + ": " + names);
            }
            assertTrue(names.stream().noneMatch(n -> n.contains("junit") || n.contains("onnxruntime")),
                    "no test libraries in lib/: " + names);
        }
    }

    @Test
    void printsItsVersion() throws Exception {
        Result r = run(dir, List.of(home.resolve("bin/propel").toString(), "--version"));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains(VERSION), r.toString());
        assertTrue(!r.err().contains("incubator"), "the launcher drops the JVM's incubator warning: " + r.err());
    }

    /** Trains, saves in all three formats and inspects from a directory that is neither the source tree nor the tarball's. */
    @Test
    void trainsSavesAndInspectsWithoutTheSourceTree() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        String propel = home.resolve("bin/propel").toString();
        Result train = run(work, List.of(propel, "train", "--spec", home.resolve("examples/mlp-small.json").toString(),
                "--data", "sample", "--epochs", "1", "--seed", "1", "--out", "mlp.pb"));
        assertEquals(0, train.exitCode(), train.toString());
        assertTrue(train.out().contains("accuracy"), train.toString());
        assertTrue(Files.size(work.resolve("mlp.pb")) > 0);

        for (String copy : List.of("mlp.json", "mlp.onnx")) {
            Result convert = run(work, List.of(propel, "convert", "mlp.pb", copy));
            assertEquals(0, convert.exitCode(), convert.toString());
            assertTrue(Files.size(work.resolve(copy)) > 0, copy);
        }
        Result inspect = run(work, List.of(propel, "inspect", "mlp.json"));
        assertEquals(0, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.out().contains("dense"), inspect.toString());
    }

    @Test
    void saysWhatToInstallWhenNoJdk25IsFound() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("no-jvms"));
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/propel").toString(), "--version");
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PROPEL_JVM_DIR", empty.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(1, p.exitValue(), out);
        assertEquals("propel: needs a JDK 25 or newer (found no JDK); install Temurin 25 (e.g. apt-get install temurin-25-jdk) "
                + "or set JAVA_HOME to a JDK 25\n", out);
    }
}
