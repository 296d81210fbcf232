package dev.propel.format.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the repository's example specs (examples/*.json) for the ONNX tests, which cannot use the CLI's
 * spec reader (the CLI depends on this module): input, layers with their {@code name}, {@code inputs} and
 * attributes, and the loss; the optimizer is left out (ONNX does not carry it).
 */
final class ExampleSpecs {
    static final Path EXAMPLES = Path.of("../../examples");

    private ExampleSpecs() {
    }

    @SuppressWarnings("unchecked")
    static ModelSpec read(String file) throws IOException {
        Map<String, Object> root = new ObjectMapper().readValue(EXAMPLES.resolve(file).toFile(), Map.class);
        List<LayerSpec> layers = new ArrayList<>();
        for (Map<String, Object> l : (List<Map<String, Object>>) root.get("layers")) {
            Map<String, Object> attributes = new LinkedHashMap<>(l);
            String type = (String) attributes.remove("type");
            String name = (String) attributes.remove("name");
            List<String> inputs = (List<String>) attributes.remove("inputs");
            layers.add(new LayerSpec(type, name, attributes, inputs));
        }
        String loss = (String) ((Map<String, Object>) root.get("loss")).get("type");
        return new ModelSpec((List<Integer>) root.get("input"), layers, ComponentSpec.of(loss), null, List.of());
    }
}
