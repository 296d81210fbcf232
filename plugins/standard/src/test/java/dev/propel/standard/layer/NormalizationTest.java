package dev.propel.standard.layer;

import dev.propel.spi.AttributeException;
import dev.propel.spi.Layer;
import dev.propel.standard.Standard;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.TestLayerContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is specific to batch_norm, layer_norm, layer_scale and global_avg_pool beyond the testkit's
 * contracts and the PyTorch fixtures: hand-derived values (running statistics with the unbiased
 * variance, inference with them) and the errors for shapes and axes that cannot work.
 */
class NormalizationTest {

    private static final float EPS = 1e-5f;

    @Test
    void batchNormTrainsOnBatchStatisticsAndUpdatesRunningOnesWithTheUnbiasedVariance() {
        Layer bn = Standard.layer("batch_norm", Map.of(), 1);
        // One channel, batch [1, 3]: mean 2, biased variance 1, unbiased 2.
        Tensor y = bn.forward(Tensor.of(new float[] {1, 3}, 2, 1), TestLayerContext.training(bn, Standard.KERNELS));
        float r = (float) (1 / Math.sqrt(1 + EPS));
        assertArrayEquals(new float[] {-r, r}, y.toArray(), 1e-6f);
        assertEquals(0.1f * 2, bn.state().get("running_mean").get(0), 1e-7f);       // 0.9·0 + 0.1·2
        assertEquals(0.9f * 1 + 0.1f * 2, bn.state().get("running_var").get(0), 1e-6f); // 0.9·1 + 0.1·2 (unbiased)
        assertEquals(1f, bn.state().get("num_batches_tracked").get(0));
        // Inference uses the running statistics: (1.2 − 0.2)/√(1.1 + ε).
        Tensor inferred = bn.forward(Tensor.of(new float[] {1.2f}, 1, 1), TestLayerContext.inference(Standard.KERNELS));
        assertEquals((float) (1 / Math.sqrt(1.1 + EPS)), inferred.get(0, 0), 1e-6f);
        assertEquals(1f, bn.state().get("num_batches_tracked").get(0), "inference leaves the state alone");
    }

    @Test
    void batchNormNormalizesEachChannelOverTheBatchAndItsPositions() {
        Layer bn = Standard.layer("batch_norm", Map.of("affine", false), 2, 1, 2);
        // [N=2, C=2, 1, 2]: channel 0 holds 0, 2, 4, 6 (mean 3, var 5); channel 1 holds 1 everywhere (var 0).
        Tensor x = Tensor.of(new float[] {0, 2, 1, 1, 4, 6, 1, 1}, 2, 2, 1, 2);
        float[] y = bn.forward(x, TestLayerContext.training(bn, Standard.KERNELS)).toArray();
        float s = (float) (1 / Math.sqrt(5 + EPS));
        assertArrayEquals(new float[] {-3 * s, -s, 0, 0, s, 3 * s, 0, 0}, y, 1e-6f);
        assertTrue(bn.parameters().isEmpty(), "affine false has no parameters");
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.state().keySet()));
    }

    @Test
    void batchNormRefusesATrainingPassWithOneValuePerChannel() {
        Layer bn = Standard.layer("batch_norm", Map.of(), 4);
        ShapeException e = assertThrows(ShapeException.class,
                () -> bn.forward(Tensor.zeros(1, 4), TestLayerContext.training(bn, Standard.KERNELS)));
        assertMentions(e, "batch_norm_0", "more than one value per channel", "[1, 4]", "batch of at least 2");
        // Inference on one sample is fine: it uses the running statistics.
        bn.forward(Tensor.zeros(1, 4), TestLayerContext.inference(Standard.KERNELS));
    }

    @Test
    void layerNormOverTheChannelsOfNchwNormalizesEachPixel() {
        Layer ln = Standard.layer("layer_norm", Map.of("axes", List.of(0), "elementwise_affine", false), 2, 1, 2);
        // Pixel 0 has channels (1, 3), pixel 1 has (10, 10): the first becomes (−1, 1)·1/√(1+ε), the second (0, 0).
        float[] y = ln.forward(Tensor.of(new float[] {1, 10, 3, 10}, 1, 2, 1, 2), TestLayerContext.training(ln, Standard.KERNELS))
                .toArray();
        float r = (float) (1 / Math.sqrt(1 + EPS));
        assertArrayEquals(new float[] {-r, 0, r, 0}, y, 1e-6f);
        assertEquals(Shape.of(3, 4), Standard.layer("layer_norm", Map.of("axes", List.of(1, 2)), 2, 3, 4)
                .parameters().get("weight").shape(), "weight is shaped as the normalized axes");
    }

    @Test
    void layerNormExplainsAxesThatCannotWork() {
        ShapeException range = assertThrows(ShapeException.class,
                () -> Standard.layer("layer_norm", Map.of("axes", List.of(3)), 2, 3, 4));
        assertMentions(range, "layer_norm_0", "axis 3", "out of range", "[2, 3, 4]", "rank 3", "0..2", "batch axis is not counted");
        ShapeException negative = assertThrows(ShapeException.class,
                () -> Standard.layer("layer_norm", Map.of("axes", List.of(-2)), 5));
        assertMentions(negative, "axis -2", "out of range", "-1..-1");
        AttributeException gap = assertThrows(AttributeException.class,
                () -> Standard.layer("layer_norm", Map.of("axes", List.of(0, 2)), 2, 3, 4));
        assertMentions(gap, "[0, 2]", "not a run of consecutive axes", "[1, 2]");
        AttributeException empty = assertThrows(AttributeException.class,
                () -> Standard.layer("layer_norm", Map.of("axes", List.of()), 2, 3, 4));
        assertMentions(empty, "'axes' is empty", "[-1]");
    }

    @Test
    void layerScaleStartsAtItsInitValue() {
        Layer scale = Standard.layer("layer_scale", Map.of(), 3, 2, 2);
        assertArrayEquals(new float[] {1e-6f, 1e-6f, 1e-6f}, scale.parameters().get("gamma").toArray());
        Layer half = Standard.layer("layer_scale", Map.of("init", 0.5), 2, 1, 2);
        float[] y = half.forward(Tensor.of(new float[] {2, 4, 6, 8}, 1, 2, 1, 2), TestLayerContext.inference(Standard.KERNELS)).toArray();
        assertArrayEquals(new float[] {1, 2, 3, 4}, y);
    }

    @Test
    void globalAvgPoolAveragesEachChannelAndSpreadsTheGradientBack() {
        Layer pool = Standard.layer("global_avg_pool", Map.of(), 2, 1, 2);
        assertEquals(Shape.of(2), pool.outputShape());
        TestLayerContext ctx = TestLayerContext.training(pool, Standard.KERNELS);
        assertArrayEquals(new float[] {2, 5}, pool.forward(Tensor.of(new float[] {1, 3, 4, 6}, 1, 2, 1, 2), ctx).toArray());
        assertArrayEquals(new float[] {0.5f, 0.5f, 2, 2}, pool.backward(Tensor.of(new float[] {1, 4}, 1, 2), ctx).toArray());
        ShapeException flat = assertThrows(ShapeException.class, () -> Standard.layer("global_avg_pool", Map.of(), 784));
        assertMentions(flat, "global_avg_pool_0", "[C, H, W]", "[784]", "rank 1");
    }

    @Test
    void channelLayersRefuseAScalarInput() {
        for (String type : List.of("batch_norm", "layer_scale")) {
            ShapeException e = assertThrows(ShapeException.class, () -> Standard.layer(type, Map.of()));
            assertMentions(e, type, "[C] or [C, H, W]");
        }
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
}
