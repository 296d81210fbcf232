package com.example.propel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.propel.Propel;
import dev.propel.spi.Layer;
import dev.propel.spi.Loss;
import dev.propel.spi.Optimizer;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.TensorAsserts;
import dev.propel.testkit.TestLayerContext;
import dev.propel.testkit.TestLayers;
import dev.propel.testkit.Testkit;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * example_layer_norm, focal and lion against PyTorch 2.13 on the fixtures in {@code src/test/resources/golden},
 * written by {@code src/test/python/make_golden.py} (torch.nn.LayerNorm with autograd; the focal loss in
 * torch ops with autograd, and F.cross_entropy for γ = 0; the Lion update of the paper in torch ops).
 * Tolerance as the standard plugin's golden test: {@code |propel − torch| <= 1e-5·|torch| + 1e-6}, with a
 * larger absolute part where a case gives one ({@code "absolute_tolerance"}, with the reason in the script).
 */
class PyTorchGoldenTest {
    private static final double RELATIVE = 1e-5;
    private static final double ABSOLUTE = 1e-6;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Propel PROPEL = Testkit.propel();

    @TestFactory
    Stream<DynamicTest> layerNormMatchesPyTorch() throws IOException {
        return cases("layers").stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            String name = c.get("name").asText();
            Tensor x = tensor(c.get("input"));
            Layer layer = TestLayers.create(PROPEL.layerFactory(c.get("type").asText()), attributes(c), x.shape().withoutBatch(), 7);
            assertEquals(c.get("parameters").size(), layer.parameters().size(), name + ": parameter count");
            c.get("parameters").properties().forEach(p -> layer.parameters().get(p.getKey()).copyFrom(tensor(p.getValue())));

            double absolute = c.has("absolute_tolerance") ? c.get("absolute_tolerance").asDouble() : ABSOLUTE;
            TestLayerContext ctx = TestLayerContext.training(layer, PROPEL.kernels());
            compare(name + " output", tensor(c.get("output")), layer.forward(x, ctx), absolute);
            compare(name + " input gradient", tensor(c.get("input_gradient")), layer.backward(tensor(c.get("upstream")), ctx),
                    absolute);
            c.get("parameter_gradients").properties().forEach(g ->
                    compare(name + " gradient of " + g.getKey(), tensor(g.getValue()), ctx.gradient(g.getKey()), absolute));
        }));
    }

    @TestFactory
    Stream<DynamicTest> focalMatchesPyTorch() throws IOException {
        return cases("losses").stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            String name = c.get("name").asText();
            Loss loss = PROPEL.lossFactory(c.get("type").asText()).create(
                    PROPEL.lossFactory(c.get("type").asText()).schema().resolve(c.get("type").asText(), attributes(c)));
            Tensor p = tensor(c.get("predictions"));
            Tensor g = Tensor.zeros(p.shape());
            float value = loss.compute(p, tensor(c.get("targets")), g, PROPEL.kernels());
            compare(name + " loss", Tensor.of(new float[] {(float) c.get("loss").asDouble()}, 1), Tensor.of(new float[] {value}, 1));
            compare(name + " gradient", tensor(c.get("gradient")), g);
        }));
    }

    @TestFactory
    Stream<DynamicTest> lionMatchesPyTorch() throws IOException {
        return cases("optimizers").stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            String name = c.get("name").asText();
            Optimizer optimizer = PROPEL.optimizer(c.get("type").asText(), attributes(c));
            Tensor w = tensor(c.get("initial"));
            Tensor grad = Tensor.zeros(w.shape());
            List<Parameter> params = List.of(new Parameter("w", w, grad));
            JsonNode after = c.get("after_step");
            for (int s = 0; s < after.size(); s++) {
                grad.copyFrom(tensor(c.get("gradients").get(s)));
                optimizer.step(params, optimizer.learningRate(), PROPEL.kernels());
                compare(name + " after step " + (s + 1), tensor(after.get(s)), w);
            }
            assertEquals(after.size(), optimizer.stepCount());
        }));
    }

    /** Every type this plugin adds with kernel primitives has fixtures. */
    @Test
    void fixturesCoverTheKernelExercise() throws IOException {
        assertEquals(List.of(LayerNorm.TYPE), types("layers"));
        assertEquals(List.of(FocalLoss.TYPE), types("losses"));
        assertEquals(List.of(Lion.TYPE), types("optimizers"));
    }

    private static void compare(String what, Tensor expected, Tensor actual) {
        compare(what, expected, actual, ABSOLUTE);
    }

    /** Asserts the tolerance and prints the largest differences (quoted in the plugin's README). */
    private static void compare(String what, Tensor expected, Tensor actual, double absolute) {
        TensorAsserts.assertClose(what, expected, actual, RELATIVE, absolute);
        double abs = 0;
        double rel = 0;
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.data()[i];
            double d = Math.abs(actual.data()[i] - e);
            abs = Math.max(abs, d);
            if (e != 0) rel = Math.max(rel, d / Math.abs(e));
        }
        System.out.printf("golden %s: max |diff| %.3g, max relative %.3g%n", what, abs, rel);
    }

    private static List<String> types(String file) throws IOException {
        return cases(file).stream().map(c -> c.get("type").asText()).distinct().sorted().toList();
    }

    private static List<JsonNode> cases(String file) throws IOException {
        String resource = "/golden/" + file + ".json";
        try (InputStream in = PyTorchGoldenTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing test resource " + resource + "; run src/test/python/make_golden.py");
            List<JsonNode> cases = new ArrayList<>();
            JSON.readTree(in).get("cases").forEach(cases::add);
            return cases;
        }
    }

    /** {"shape": [..], "data": [..]} with exact float32 values. */
    private static Tensor tensor(JsonNode node) {
        int[] dims = new int[node.get("shape").size()];
        for (int i = 0; i < dims.length; i++) dims[i] = node.get("shape").get(i).asInt();
        float[] values = new float[node.get("data").size()];
        for (int i = 0; i < values.length; i++) values[i] = (float) node.get("data").get(i).asDouble();
        return Tensor.of(values, dims);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> attributes(JsonNode c) {
        return JSON.convertValue(c.get("attributes"), Map.class);
    }
}
