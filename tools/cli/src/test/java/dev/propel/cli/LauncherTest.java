package dev.propel.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code ./propel} launcher's answer when no JDK 25 is found. Fake JDKs (a {@code bin/java} that
 * prints a version banner) stand in for old ones; {@code PROPEL_JVM_DIR} confines the search to them.
 */
class LauncherTest {
    static final Path LAUNCHER = Path.of("../../propel").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path fakeJdk(String name, String banner) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("jvm").resolve(name).resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho '" + banner + "' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin.getParent();
    }

    private record Result(int exitCode, String out, String err) {
    }

    private Result launch(Map<String, String> env) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")), "needs bash");
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "plugins");
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        pb.environment().put("PROPEL_JVM_DIR", Files.createDirectories(dir.resolve("jvm")).toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher finished");
        return new Result(p.exitValue(), out, err);
    }

    @Test
    void launcherIsExecutable() {
        assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " must be executable");
    }

    @Test
    void oldJdksAreNamedInOneLineWithWhatToInstall() throws Exception {
        Path jdk17 = fakeJdk("jdk-17", "openjdk version \"17.0.15\" 2025-04-15");
        Path jdk8 = fakeJdk("jdk-8", "java version \"1.8.0_392\"");
        Result r = launch(Map.of("JAVA_HOME", jdk17.toString()));
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("propel: needs a JDK 25 or newer (found 17 at " + jdk17.toRealPath() + ", 8 at " + jdk8.toRealPath()
                + "); install Temurin 25 (e.g. apt-get install temurin-25-jdk) or set JAVA_HOME to a JDK 25\n", r.err());
    }

    @Test
    void noJdkAtAll() throws Exception {
        Result r = launch(Map.of());
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("propel: needs a JDK 25 or newer (found no JDK); install Temurin 25 (e.g. apt-get install temurin-25-jdk) "
                + "or set JAVA_HOME to a JDK 25\n", r.err());
    }

    @Test
    void brokenJavaHomeIsSkipped() throws Exception {
        Path notAJdk = Files.createDirectories(dir.resolve("empty-home"));
        Result r = launch(Map.of("JAVA_HOME", notAJdk.toString()));
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("propel: needs a JDK 25 or newer (found no JDK)"), r.err());
    }
}
