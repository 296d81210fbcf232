package dev.propel.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel training on {@code local-cluster[2,1,1024]} (two executor JVMs) matches a single-machine
 * run to 1e-5 relative. Runs {@link LocalClusterMain} in a JVM of its own. Part of the normal suite (about
 * 30 s on an idle 2-core machine, several minutes on a loaded one); {@code -Dpropel.spark.localCluster=false}
 * skips it.
 */
class LocalClusterTest {
    @Test
    @DisabledIfSystemProperty(named = "propel.spark.localCluster", matches = "false")
    void twoExecutorJvmsMatchASingleMachineRun() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), LocalClusterMain.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        Matcher m = Pattern.compile("executors (\\d+) max-relative-difference (\\S+)").matcher(out);
        assertTrue(m.find(), out);
        assertEquals(3, Integer.parseInt(m.group(1)), "the driver's and two executors' block managers");
        assertTrue(Double.parseDouble(m.group(2)) <= 1e-5, m.group(2));
    }
}
