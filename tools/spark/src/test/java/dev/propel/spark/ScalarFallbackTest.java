package dev.propel.spark;

import dev.propel.Propel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An executor started without the Vector API module computes the same gradient on scalar kernels, and says so in its log. */
class ScalarFallbackTest {
    @Test
    void aWorkerWithoutTheVectorModuleComputesTheSameGradientAndLogsTheFallback() throws IOException, InterruptedException {
        float[] expected;
        try (Propel propel = Propel.builder().threads(1).build()) {
            assertTrue(propel.kernels().name().startsWith("vector"), "this test runs with --add-modules jdk.incubator.vector");
            expected = ScalarWorkerMain.gradient(propel).gradient();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ScalarWorkerMain.class.getName()).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertTrue(err.contains("ExecutorPropel") && err.contains("scalar kernels are used"), "the executor's log says so: " + err);
        List<Float> actual = new ArrayList<>();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) if (!line.isBlank()) actual.add(Float.parseFloat(line));
        assertEquals(expected.length, actual.size());
        double scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.get(i), 1e-5 * scale, "gradient element " + i);
        }
    }
}
