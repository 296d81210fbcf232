package dev.propel.standard.layer;

import dev.propel.Propel;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;
import dev.propel.spi.AttributeException;
import dev.propel.spi.Layer;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.RandomTensors;
import dev.propel.testkit.TensorAsserts;
import dev.propel.testkit.TestLayerContext;
import dev.propel.testkit.TestLayers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.propel.standard.Standard.KERNELS;
import static dev.propel.standard.Standard.layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Conv2dTest {

    private static final float[] NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    private static Tensor run(Map<String, ?> attributes, float[] weight, float bias) {
        Layer conv = layer("conv2d", attributes, 1, 3, 3);
        System.arraycopy(weight, 0, conv.parameters().get("weight").data(), 0, weight.length);
        conv.parameters().get("bias").data()[0] = bias;
        return conv.forward(Tensor.of(NINE.clone(), 1, 1, 3, 3), TestLayerContext.inference(KERNELS));
    }

    /** Worked by hand: 2x2 weights [1, 2; 3, 4] on the image 1..9, bias 0.5. */
    @Test
    void outputsWorkedByHand() {
        float[] w = {1, 2, 3, 4};
        Tensor plain = run(Map.of("out_channels", 1, "kernel_size", 2), w, 0.5f);
        assertEquals(Shape.of(1, 1, 2, 2), plain.shape());
        assertArrayEquals(new float[] {37.5f, 47.5f, 67.5f, 77.5f}, plain.data());
        // Stride 2 over the image padded by one zero on each side: the corner windows see one pixel.
        Tensor strided = run(Map.of("out_channels", 1, "kernel_size", 2, "stride", 2, "padding", 1), w, 0.5f);
        assertArrayEquals(new float[] {4.5f, 18.5f, 36.5f, 77.5f}, strided.data());
        // "same" with an even kernel pads one more at the end (bottom, right), as PyTorch.
        Tensor same = run(Map.of("out_channels", 1, "kernel_size", 2, "padding", "same"), w, 0f);
        assertEquals(Shape.of(1, 1, 3, 3), same.shape());
        assertArrayEquals(new float[] {37, 47, 3 + 6 * 3, 67, 77, 6 + 9 * 3, 7 + 8 * 2, 8 + 9 * 2, 9}, same.data());
    }

    @Test
    void parametersAreLaidOutAsPyTorch() {
        Layer conv = layer("conv2d", Map.of("out_channels", 6, "kernel_size", List.of(3, 5), "groups", 2), 4, 9, 9);
        assertEquals(Shape.of(6, 2, 3, 5), conv.parameters().get("weight").shape());
        assertEquals(Shape.of(6), conv.parameters().get("bias").shape());
        assertEquals(Shape.of(6, 7, 5), conv.outputShape());
        float bound = (float) (1 / Math.sqrt(2 * 3 * 5));
        for (float v : conv.parameters().get("weight").data()) assertTrue(Math.abs(v) <= bound, "U(±1/√fan_in): " + v);
        assertEquals(List.of("weight"), List.copyOf(
                layer("conv2d", Map.of("out_channels", 2, "kernel_size", 1, "bias", false), 3, 4, 4).parameters().keySet()));
    }

    @Test
    void aKernelLargerThanTheInputNamesTheLayerTheInputAndTheKernel() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> layer("conv2d", Map.of("out_channels", 8, "kernel_size", 7), 3, 4, 4));
        assertMentions(e, "conv2d_0", "7x7 kernel", "4x4 input", "[3, 4, 4]", "padding");
        ShapeException dilated = assertThrows(ShapeException.class,
                () -> layer("conv2d", Map.of("out_channels", 8, "kernel_size", 3, "dilation", 3), 3, 6, 9));
        assertMentions(dilated, "spanning 7x7", "6x9 input");
    }

    @Test
    void impossibleSettingsAreRefusedClearly() {
        assertMentions(assertThrows(AttributeException.class,
                () -> layer("conv2d", Map.of("out_channels", 4, "kernel_size", 3, "groups", 2), 3, 8, 8)),
                "conv2d_0", "groups 2", "input channels (3)", "out_channels (4)");
        assertMentions(assertThrows(AttributeException.class,
                () -> layer("conv2d", Map.of("out_channels", 4, "kernel_size", 3, "stride", 2, "padding", "same"), 3, 8, 8)),
                "\"same\"", "stride 1", "[2, 2]");
        assertMentions(assertThrows(ShapeException.class,
                () -> layer("conv2d", Map.of("out_channels", 4, "kernel_size", 3), 784)),
                "[channels, height, width]", "[784]", "rank 1", "reshape");
        assertMentions(assertThrows(AttributeException.class,
                () -> layer("conv2d", Map.of("out_channels", 4, "kernel_size", List.of(3, 3, 3)), 1, 8, 8)),
                "'kernel_size'", "[height, width]", "[3, 3, 3]");
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }

    /** One forward and backward pass of a layer made with {@code kernels}; returns output, ∂x and the parameter gradients. */
    private static List<Tensor> pass(Propel propel, Map<String, ?> attributes, int batch, int... dims) {
        Kernels kernels = propel.kernels();
        Layer conv = TestLayers.create(propel.layerFactory("conv2d"), attributes, Shape.of(dims), 11);
        Tensor x = RandomTensors.normal(new SplittableRandom(3), Shape.of(dims).withBatch(batch).dims());
        Tensor dy = RandomTensors.normal(new SplittableRandom(4), conv.outputShape().withBatch(batch).dims());
        TestLayerContext ctx = TestLayerContext.training(conv, kernels);
        Tensor y = null;
        Tensor dx = null;
        for (int step = 0; step < 2; step++) { // the second step reuses every buffer
            ctx.zeroGradients();
            y = conv.forward(x, ctx).copy();
            dx = conv.backward(dy, ctx).copy();
        }
        return List.of(y, dx, ctx.gradient("weight").copy(), ctx.gradient("bias").copy());
    }

    private static final List<Map<String, ?>> LARGE = List.of(
            Map.of("out_channels", 16, "kernel_size", 3, "padding", 1),
            Map.of("out_channels", 8, "kernel_size", List.of(3, 2), "stride", 2, "groups", 2, "dilation", List.of(1, 2)),
            Map.of("out_channels", 16, "kernel_size", 7, "padding", 3, "groups", 16));

    /**
     * Shapes large enough for the loops to be split over two threads and for several chunks of samples: the
     * vector kernels give the same bits at one and two threads, and agree with the scalar reference.
     */
    @Test
    void vectorResultsDoNotDependOnTheThreadCountAndMatchTheScalarOnes() {
        Assumptions.assumeTrue(KernelsProvider.vectorApiAvailable(), "the Vector API module is not enabled");
        for (Map<String, ?> attributes : LARGE) {
            List<Tensor> scalar = pass(dev.propel.standard.Standard.PROPEL, attributes, 6, 16, 28, 28);
            List<Tensor> one;
            List<Tensor> two;
            try (Propel p1 = Propel.builder().kernels(KernelsProvider.create(1)).build();
                 Propel p2 = Propel.builder().kernels(KernelsProvider.create(2)).build()) {
                one = pass(p1, attributes, 6, 16, 28, 28);
                two = pass(p2, attributes, 6, 16, 28, 28);
            }
            String[] names = {"output", "input gradient", "weight gradient", "bias gradient"};
            for (int i = 0; i < names.length; i++) {
                TensorAsserts.assertBitwiseEqual(attributes + " " + names[i] + " at 1 and 2 threads", one.get(i), two.get(i));
                TensorAsserts.assertClose(attributes + " " + names[i] + ", vector vs scalar", scalar.get(i), one.get(i), 1e-4, 1e-4);
            }
        }
    }

    @Test
    void chunksAreEqualAndEvenInNumberSoThatTwoThreadsFinishTogether() {
        Conv2d stage1 = (Conv2d) layer("conv2d", Map.of("out_channels", 16, "kernel_size", 3, "padding", 1), 16, 28, 28);
        assertEquals(4, stage1.chunk(128), "144 x 784 column floats per sample: 4 samples fill the budget");
        Conv2d pointwise = (Conv2d) layer("conv2d", Map.of("out_channels", 128, "kernel_size", 1), 32, 14, 14);
        assertEquals(64, pointwise.chunk(128), "at most 83 samples per chunk: two chunks of 64, not 83 + 45");
        Conv2d wide = (Conv2d) layer("conv2d", Map.of("out_channels", 32, "kernel_size", 1), 128, 14, 14);
        assertEquals(16, wide.chunk(128), "at most 20 samples: 7 chunks rounded up to 8 of 16");
        assertEquals(1, wide.chunk(1));
        assertEquals(20, wide.chunk(20), "a batch within the budget is one chunk");
        Conv2d large = (Conv2d) layer("conv2d", Map.of("out_channels", 8, "kernel_size", 3, "padding", 1), 64, 32, 32);
        assertEquals(1, large.chunk(3), "one sample per chunk: 3 chunks, not rounded up past the batch");
    }

    @Test
    void theInputGradientIsSkippedWhenNotNeeded() {
        Layer conv = layer("conv2d", Map.of("out_channels", 2, "kernel_size", 3), 1, 5, 5);
        TestLayerContext ctx = TestLayerContext.training(conv, KERNELS).needsInputGradient(false);
        Tensor x = RandomTensors.normal(new SplittableRandom(1), 2, 1, 5, 5);
        conv.forward(x, ctx);
        assertEquals(null, conv.backward(RandomTensors.normal(new SplittableRandom(2), 2, 2, 3, 3), ctx));
        assertTrue(ctx.gradient("weight").data()[0] != 0f);
    }
}
