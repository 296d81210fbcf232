package dev.propel.format.onnx;

import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs src/test/python/check_onnx.py (onnx.checker and ONNX Runtime for Python) on a model when a python
 * with {@code onnx} and {@code onnxruntime} is at hand: {@code $PROPEL_ONNX_PYTHON}, else {@code python3}.
 */
final class PythonCheck {
    private static final Path SCRIPT = Path.of("src/test/python/check_onnx.py");
    private static String python;
    private static String missing;

    private PythonCheck() {
    }

    /** The python to use, or null with {@link #missingReason()} saying why there is none. */
    static synchronized String python() {
        if (python != null || missing != null) return python;
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("PROPEL_ONNX_PYTHON");
        if (env != null && !env.isBlank()) candidates.add(env);
        candidates.add("python3");
        StringBuilder why = new StringBuilder();
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import onnx, onnxruntime, numpy").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return python = c;
                why.append(c).append(": ").append(out.lines().reduce((a, b) -> b).orElse("exit " + p.exitValue())).append("; ");
            } catch (IOException | InterruptedException e) {
                why.append(c).append(": ").append(e.getMessage()).append("; ");
            }
        }
        missing = "no python with onnx, onnxruntime and numpy (" + why + "set PROPEL_ONNX_PYTHON to one)";
        return null;
    }

    static String missingReason() {
        python();
        return missing;
    }

    /** Writes {@code x} and {@code expected} beside the model (node-test layout) and runs the script, if python is there. */
    static void checkIfAvailable(Path model, Tensor x, float[] expected) throws Exception {
        if (python() == null) return;
        Path dir = model.getParent();
        writeDataSet(dir, x, Tensor.of(expected, outputDims(x, expected)));
        if (!model.getFileName().toString().equals("model.onnx")) throw new IllegalArgumentException("name the model model.onnx");
        run(dir);
    }

    /** Runs the script on {@code dirs} (each with model.onnx and test_data_set_*); skips the test when there is no python. */
    static void run(Path... dirs) throws Exception {
        Assumptions.assumeTrue(python() != null, PythonCheck::missingReason);
        List<String> cmd = new ArrayList<>(List.of(python, SCRIPT.toString()));
        for (Path d : dirs) cmd.add(d.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(300, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "check_onnx.py: " + out);
    }

    static void writeDataSet(Path dir, Tensor x, Tensor y) throws IOException {
        Path set = Files.createDirectories(dir.resolve("test_data_set_0"));
        Files.write(set.resolve("input_0.pb"), OnnxTensors.inline("input", x).toByteArray());
        Files.write(set.resolve("output_0.pb"), OnnxTensors.inline("output", y).toByteArray());
    }

    private static int[] outputDims(Tensor x, float[] expected) {
        int rows = x.shape().dim(0);
        return new int[] {rows, expected.length / rows};
    }
}
