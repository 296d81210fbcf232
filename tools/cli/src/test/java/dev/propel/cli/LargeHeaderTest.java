package dev.propel.cli;

import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelSpec;
import dev.propel.model.PredictionRule;
import dev.propel.model.Producer;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A legal file with a huge header: inspect is linear in layers and tensors (100k layers once took minutes). */
class LargeHeaderTest {
    @TempDir
    Path dir;

    /** {@code layers} dense layers of one unit, two tensors each. */
    static SavedModel manyLayers(int layers) {
        List<LayerSpec> specs = new ArrayList<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < layers; i++) {
            String name = "dense_" + i;
            specs.add(new LayerSpec("dense", name, Map.of("units", 1)));
            tensors.put(name + ".weight", Tensor.zeros(1, 1));
            tensors.put(name + ".bias", Tensor.zeros(1));
        }
        ModelSpec spec = new ModelSpec(List.of(1), specs, ComponentSpec.of("mse"), null);
        return new SavedModel(new Producer("0.1.0", List.of()), spec, null, PredictionRule.argmax(), null, tensors, null);
    }

    @Test
    void inspectIsLinearInLayersAndTensors() throws IOException {
        Path file = dir.resolve("wide.pb");
        // 30k layers, 60k tensors: the quadratic inspect did 1.8e9 name comparisons (far beyond the limit), the linear one
        // reads the file and prints in a few seconds.
        ModelFiles.save(manyLayers(30_000), file);
        Cli text = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Cli.run("inspect", file.toString()));
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("  29999 dense_29999"), "every layer listed");
        Cli json = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Cli.run("inspect", file.toString(), "--json"));
        assertEquals(0, json.exitCode(), json.err());
    }
}
