package dev.propel.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which kernels the provider picks, in this JVM (started with the Vector API) and in child JVMs. */
class KernelsProviderTest {

    @TempDir
    Path temp;

    @Test
    void picksVectorKernelsWhenTheModuleIsPresent() {
        assertTrue(KernelsProvider.vectorApiAvailable(), "the tests run with --add-modules jdk.incubator.vector");
        List<String> warnings = new ArrayList<>();
        try (Kernels kernels = KernelsProvider.create(3, warnings::add)) {
            assertInstanceOf(VectorKernels.class, kernels);
            assertEquals(3, kernels.threads());
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void rejectsNonPositiveThreadCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelsProvider.create(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }

    @Test
    void withoutTheModuleFallsBackToScalarWithOneWarningLine() throws Exception {
        Result result = runProbe();
        assertEquals(0, result.exitCode(), "child JVM failed: " + result.stderr());
        assertEquals("scalar", result.stdout().strip());
        List<String> lines = result.stderr().lines().filter(line -> !line.isBlank()).toList();
        assertEquals(List.of(KernelsProvider.ENABLE_HINT), lines);
    }

    @Test
    void withTheModuleTheChildPicksVectorKernelsWithoutTheHint() throws Exception {
        Result result = runProbe("--add-modules", KernelsProvider.VECTOR_MODULE);
        assertEquals(0, result.exitCode(), "child JVM failed: " + result.stderr());
        assertTrue(result.stdout().strip().matches("vector\\(\\d+ lanes, 2 threads\\)"), result.stdout());
        assertFalse(result.stderr().contains(KernelsProvider.ENABLE_HINT), result.stderr());
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private Result runProbe(String... jvmOptions) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelsProbeMain.class.getName()));
        Path out = temp.resolve("stdout.txt");
        Path err = temp.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        // Options from the environment would add their own lines ("Picked up ...") or modules.
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 60 s: " + command);
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
