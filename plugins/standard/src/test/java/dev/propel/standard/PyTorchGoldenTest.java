package dev.propel.standard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.propel.Propel;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;
import dev.propel.spi.Layer;
import dev.propel.spi.Loss;
import dev.propel.spi.Optimizer;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.TensorAsserts;
import dev.propel.testkit.TestLayerContext;
import dev.propel.testkit.TestLayers;
import dev.propel.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Propel's standard layers, losses and optimizers against PyTorch 2.13 on the fixtures written by
 * {@code src/test/python/make_golden.py}. Tolerance: {@code |propel − torch| <= 1e-5·|torch| + 1e-6}
 * (the absolute part covers values near zero, e.g. GELU of large negative inputs, where float32
 * rounding and the erf approximation are a larger fraction of a tiny value); a case may widen the
 * absolute part ({@code absolute_tolerance}: the normalization layers, whose gradients subtract sums of
 * the order of the batch). A case with {@code state} (batch norm's running statistics) also checks the
 * state after the training step and an inference pass with it.
 */
class PyTorchGoldenTest {
    private static final double RELATIVE = 1e-5;
    private static final double ABSOLUTE = 1e-6;

    @TestFactory
    Stream<DynamicTest> layersMatchPyTorch() {
        return layerCases("layers", Standard.PROPEL, Standard.KERNELS, RELATIVE, ABSOLUTE);
    }

    /**
     * conv2d and the poolings. A convolution's outputs and gradients are sums of up to a few hundred products,
     * added in another order than PyTorch's, so the tolerance is ten times the other layers'.
     */
    @TestFactory
    Stream<DynamicTest> convolutionsMatchPyTorch() {
        return layerCases("convolutions", Standard.PROPEL, Standard.KERNELS, 10 * RELATIVE, 10 * ABSOLUTE);
    }

    /** rnn, lstm and gru (make_golden_recurrent.py): PyTorch's state_dict loaded by name, forward and BPTT. */
    @TestFactory
    Stream<DynamicTest> recurrentLayersMatchPyTorch() {
        return layerCases("recurrent", Standard.PROPEL, Standard.KERNELS, RELATIVE, ABSOLUTE);
    }

    /** The same with the Vector API kernels, core's and the plugin's recurrent family, where available. */
    @TestFactory
    Stream<DynamicTest> recurrentLayersMatchPyTorchOnVectorKernels() {
        return onVectorKernels("recurrent");
    }

    private static Stream<DynamicTest> onVectorKernels(String file) {
        Assumptions.assumeTrue(KernelsProvider.vectorApiAvailable(), "the Vector API module is not enabled");
        Kernels vector = KernelsProvider.create(1);
        Propel propel = Propel.builder().kernels(vector).build();
        return layerCases(file, propel, vector, RELATIVE, ABSOLUTE);
    }

    /**
     * The sequence features (make_golden_sequence.py): dense over the last axis, embedding, rnn/lstm/gru with a
     * lengths input against pack_padded_sequence, and truncated BPTT against PyTorch with the state detached every K steps.
     */
    @TestFactory
    Stream<DynamicTest> sequenceLayersMatchPyTorch() {
        return layerCases("sequence", Standard.PROPEL, Standard.KERNELS, RELATIVE, ABSOLUTE);
    }

    @TestFactory
    Stream<DynamicTest> sequenceLayersMatchPyTorchOnVectorKernels() {
        return onVectorKernels("sequence");
    }

    private static Stream<DynamicTest> layerCases(String file, Propel propel, Kernels kernels, double relative, double absolute) {
        return Golden.cases(file).stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            String name = c.get("name").asText();
            boolean multi = c.has("inputs");
            List<Tensor> xs = new ArrayList<>();
            if (multi) c.get("inputs").forEach(t -> xs.add(Golden.tensor(t)));
            else xs.add(Golden.tensor(c.get("input")));
            List<Shape> perSample = xs.stream().map(x -> x.shape().withoutBatch()).toList();
            Layer layer = TestLayers.create(propel.layerFactory(c.get("type").asText()), Golden.attributes(c), perSample, 7);
            c.get("parameters").properties().forEach(p -> layer.parameters().get(p.getKey()).copyFrom(Golden.tensor(p.getValue())));
            assertEquals(c.get("parameters").size(), layer.parameters().size(), name + ": parameter count");
            if (c.has("state")) {
                c.get("state").properties().forEach(s -> layer.state().get(s.getKey()).copyFrom(Golden.tensor(s.getValue())));
                assertEquals(c.get("state").size(), layer.state().size(), name + ": state count");
            }
            double caseAbsolute = c.has("absolute_tolerance") ? c.get("absolute_tolerance").asDouble() : absolute;

            TestLayerContext ctx = TestLayerContext.training(layer, kernels);
            Tensor y = layer.forward(xs, ctx);
            TensorAsserts.assertClose(name + " output", Golden.tensor(c.get("output")), y, relative, caseAbsolute);
            List<Tensor> dxs = layer.backwardInputs(Golden.tensor(c.get("upstream")), ctx);
            List<Tensor> expected = new ArrayList<>();
            if (multi) c.get("input_gradients").forEach(t -> expected.add(Golden.tensor(t)));
            else expected.add(Golden.tensor(c.get("input_gradient")));
            assertEquals(expected.size(), dxs.size(), name + ": one gradient per input");
            for (int i = 0; i < expected.size(); i++) {
                TensorAsserts.assertClose(name + " gradient of input " + i, expected.get(i), dxs.get(i), relative, caseAbsolute);
            }
            c.get("parameter_gradients").properties().forEach(g -> TensorAsserts.assertClose(name + " gradient of " + g.getKey(),
                    Golden.tensor(g.getValue()), ctx.gradient(g.getKey()), relative, caseAbsolute));
            if (c.has("state_after")) {
                // Running statistics after the training step, then an inference pass that uses them (module.eval()).
                c.get("state_after").properties().forEach(s -> TensorAsserts.assertClose(name + " state " + s.getKey()
                        + " after the training step", Golden.tensor(s.getValue()), layer.state().get(s.getKey()), relative, caseAbsolute));
                Tensor inferred = layer.forward(xs, TestLayerContext.inference(kernels));
                TensorAsserts.assertClose(name + " inference output", Golden.tensor(c.get("inference_output")), inferred,
                        relative, caseAbsolute);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> lossesMatchPyTorch() {
        return lossCases("losses");
    }

    /** sequence_cross_entropy against nn.CrossEntropyLoss(ignore_index=-100) on [B·T, C] (make_golden_sequence.py). */
    @TestFactory
    Stream<DynamicTest> sequenceLossesMatchPyTorch() {
        return lossCases("sequence_losses");
    }

    private static Stream<DynamicTest> lossCases(String file) {
        return Golden.cases(file).stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            String name = c.get("name").asText();
            Loss loss = Standard.loss(c.get("type").asText(), Golden.attributes(c));
            Tensor p = Golden.tensor(c.get("predictions"));
            Tensor g = Tensor.zeros(p.shape());
            float value = loss.compute(p, Golden.tensor(c.get("targets")), g, Standard.KERNELS);
            double expected = c.get("loss").asDouble();
            assertEquals(expected, value, RELATIVE * Math.abs(expected) + ABSOLUTE, name + " loss");
            TensorAsserts.assertClose(name + " gradient", Golden.tensor(c.get("gradient")), g, RELATIVE, ABSOLUTE);
        }));
    }

    @TestFactory
    Stream<DynamicTest> optimizersMatchPyTorch() {
        return Golden.cases("optimizers").stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            String name = c.get("name").asText();
            Optimizer optimizer = Standard.optimizer(c.get("type").asText(), Golden.attributes(c));
            Tensor w = Golden.tensor(c.get("initial"));
            Tensor grad = Tensor.zeros(w.shape());
            List<Parameter> params = List.of(new Parameter("w", w, grad));
            JsonNode after = c.get("after_step");
            for (int s = 0; s < after.size(); s++) {
                grad.copyFrom(Golden.tensor(c.get("gradients").get(s)));
                optimizer.step(params, optimizer.learningRate(), Standard.KERNELS);
                TensorAsserts.assertClose(name + " after step " + (s + 1), Golden.tensor(after.get(s)), w, RELATIVE, ABSOLUTE);
            }
            assertEquals(after.size(), optimizer.stepCount());
        }));
    }

    /**
     * Dropout is left out: its mask comes from Propel's generator, not PyTorch's; so is sequence_lengths, which
     * PyTorch has not (its lengths are an argument), and which the lengths cases here feed by hand.
     */
    @Test
    void fixturesCoverEveryTypeButDropout() {
        var info = Standard.PROPEL.plugins().getFirst();
        List<String> layers = new ArrayList<>(types("layers"));
        layers.addAll(types("convolutions"));
        layers.addAll(types("recurrent"));
        types("sequence").stream().filter(t -> !layers.contains(t)).forEach(layers::add);
        assertEquals(info.layers().stream().filter(t -> !t.equals("dropout") && !t.equals("sequence_lengths")).sorted().toList(),
                layers.stream().sorted().toList());
        List<String> losses = new ArrayList<>(types("losses"));
        losses.addAll(types("sequence_losses"));
        assertEquals(info.losses().stream().sorted().toList(), losses.stream().sorted().toList());
        assertEquals(info.optimizers(), types("optimizers"));
    }

    private static List<String> types(String file) {
        return Golden.cases(file).stream().map(c -> c.get("type").asText()).distinct().sorted().toList();
    }
}
