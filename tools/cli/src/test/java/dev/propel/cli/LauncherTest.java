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

    /**
     * The first build, with a fake {@code mvn} on the PATH that prints Maven 3.8's module lines with the escape
     * codes Debian's Maven writes even in batch mode: the launcher shows one line per module, passes
     * {@code -B -pl tools/cli -am} and {@code style.color=never}, and nothing it prints holds an escape code.
     */
    @Test
    void firstBuildShowsEachModuleWithoutEscapeCodes() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")), "needs bash");
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Path launcher = Files.copy(LAUNCHER, tree.resolve("propel"));
        Path common = Path.of("dist/src/libexec/propel-common.sh");
        Files.copy(LAUNCHER.resolveSibling(common), Files.createDirectories(tree.resolve(common).getParent()).resolve("propel-common.sh"));
        Files.writeString(tree.resolve("pom.xml"), "<project/>");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        script(bin.resolve("mvn"), """
                #!/bin/sh
                echo "$* $MAVEN_OPTS" > mvn-args
                printf '\033[0m\033[0m[INFO] Scanning for projects...\n'
                printf '[INFO] Building Propel core 0.1.0-SNAPSHOT                    [1/2]\n'
                printf '[INFO] \033[1mBuilding Propel command line 0.1.0-SNAPSHOT\033[m      [2/2]\n'
                mkdir -p tools/cli/target/lib && touch tools/cli/target/propel-cli.jar
                """);
        Path jdk = fakeJdk("jdk-25", "openjdk version \"25.0.3\" 2025-10-21");
        script(jdk.resolve("bin/java"), """
                #!/bin/sh
                case "$1" in -version) echo 'openjdk version "25.0.3" 2025-10-21' >&2; exit 0;; esac
                echo ran
                """);
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "plugins");
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PROPEL_JVM_DIR", jdk.getParent().toString());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher finished");
        assertEquals(0, p.exitValue(), err);
        assertEquals("ran\n", out);
        assertTrue(err.contains("propel: [1/2] building Propel core ("), err);
        assertTrue(err.contains("propel: [2/2] building Propel command line ("), err);
        assertTrue(err.contains("propel: built in "), err);
        assertTrue(!err.contains("\u001b"), "no escape codes: " + err);
        String log = Files.readString(tree.resolve("tools/cli/target/propel-build.log"));
        assertTrue(log.contains("[INFO] Scanning for projects...") && !log.contains("\u001b"), log);
        String args = Files.readString(tree.resolve("mvn-args"));
        assertTrue(args.contains("-B ") && args.contains("-pl tools/cli -am") && args.contains("-Dstyle.color=never"), args);
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
