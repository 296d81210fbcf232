package dev.propel.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vector API kernels give the same bits whether their code runs in the interpreter's Java
 * fallback or compiled by C2 with intrinsics. Without this, a training run's result would depend on
 * when the JIT happened to compile each kernel (it did, through SVML's exp and reduceLanes(ADD)).
 */
class JitIndependenceTest {

    @Test
    void interpretedAndCompiledKernelsAgreeBitwise() throws Exception {
        List<String> interpreted = probe("-Xint");
        List<String> compiled = probe("-Xbatch", "warm");
        assertEquals(KernelFingerprintMain.ops(new ScalarKernels()).size(), compiled.size(), String.join("\n", compiled));
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < compiled.size(); i++) {
            if (!compiled.get(i).equals(interpreted.get(i))) differing.add(compiled.get(i).split(" ")[0]);
        }
        assertTrue(differing.isEmpty(), "kernels whose results depend on JIT compilation: " + differing);
    }

    private static List<String> probe(String jvmFlag, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", KernelsProvider.VECTOR_MODULE, jvmFlag,
                "-cp", System.getProperty("java.class.path"), KernelFingerprintMain.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("fingerprint", ".txt");
        Path err = Files.createTempFile("fingerprint", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(240, TimeUnit.SECONDS), "probe " + jvmFlag + " timed out");
            assertEquals(0, p.exitValue(), "probe " + jvmFlag + " failed: " + Files.readString(err));
            return Files.readAllLines(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
