package dev.propel.standard.layer;

import dev.propel.spi.Layer;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.RandomTensors;
import dev.propel.testkit.TensorAsserts;
import dev.propel.testkit.TestLayerContext;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static dev.propel.standard.Standard.KERNELS;
import static dev.propel.standard.Standard.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class DropoutTest {

    @Test
    void isTheIdentityAtInferenceAndReturnsACopy() {
        Layer d = layer("dropout", Map.of("rate", 0.5), 17);
        Tensor x = RandomTensors.normal(new SplittableRandom(1), 3, 17);
        Tensor y = d.forward(x, TestLayerContext.inference(KERNELS));
        assertNotSame(x.data(), y.data(), "an output never aliases an input");
        assertArrayEquals(x.toArray(), y.toArray());
    }

    @Test
    void rateZeroIsTheIdentityInTrainingToo() {
        Layer d = layer("dropout", Map.of("rate", 0.0), 17);
        Tensor x = RandomTensors.normal(new SplittableRandom(1), 3, 17);
        TestLayerContext ctx = TestLayerContext.training(d, KERNELS);
        Tensor y = d.forward(x, ctx);
        assertNotSame(x.data(), y.data(), "an output never aliases an input");
        assertArrayEquals(x.toArray(), y.toArray());
        Tensor dy = RandomTensors.normal(new SplittableRandom(2), 3, 17);
        assertSame(dy, d.backward(dy, ctx));
    }

    @Test
    void dropsTheRateAndScalesTheRestSoTheMeanIsKept() {
        float rate = 0.3f;
        int n = 200_000;
        Layer d = layer("dropout", Map.of("rate", rate), n);
        Tensor ones = Tensor.zeros(1, n);
        KERNELS.fill(ones.data(), n, 1f);
        Tensor y = d.forward(ones, TestLayerContext.training(d, KERNELS).seed(99));
        int zeros = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = y.data()[i];
            if (v == 0f) zeros++;
            else assertEquals(1f / (1f - rate), v, "kept elements are scaled by 1/(1 - rate)");
            sum += v;
        }
        // Binomial standard deviations: zeros ≈ 205, mean ≈ 0.0015; allow 5σ.
        assertEquals(rate * n, zeros, 5 * Math.sqrt(n * rate * (1 - rate)));
        assertEquals(1.0, sum / n, 0.008);
    }

    @Test
    void theMaskDependsOnTheContextSeed() {
        Layer d = layer("dropout", Map.of("rate", 0.5), 64);
        Tensor x = RandomTensors.uniform(new SplittableRandom(1), 1, 2, 2, 64);
        Tensor a = d.forward(x, TestLayerContext.training(d, KERNELS).seed(1)).copy();
        Tensor b = d.forward(x, TestLayerContext.training(d, KERNELS).seed(1)).copy();
        Tensor c = d.forward(x, TestLayerContext.training(d, KERNELS).seed(2)).copy();
        TensorAsserts.assertBitwiseEqual("same seed, same mask", a, b);
        int differences = 0;
        for (int i = 0; i < a.size(); i++) if ((a.data()[i] == 0) != (c.data()[i] == 0)) differences++;
        assertNotEquals(0, differences, "another seed draws another mask");
    }

    @Test
    void backwardPassesTheGradientThroughTheSameMask() {
        Layer d = layer("dropout", Map.of("rate", 0.4), 17);
        Tensor x = RandomTensors.uniform(new SplittableRandom(1), 1, 2, 3, 17);
        TestLayerContext ctx = TestLayerContext.training(d, KERNELS);
        Tensor y = d.forward(x, ctx).copy();
        Tensor dy = RandomTensors.normal(new SplittableRandom(2), 3, 17);
        Tensor dx = d.backward(dy, ctx);
        for (int i = 0; i < y.size(); i++) {
            float mask = y.data()[i] / x.data()[i];
            assertEquals(dy.data()[i] * mask, dx.data()[i], 1e-6f * Math.abs(dy.data()[i] * mask) + 1e-7f);
        }
    }

    @Test
    void defaultRateIsOneHalfLikePyTorch() {
        assertEquals(0.5f, layer("dropout", Map.of(), 4).attributes().getFloat("rate"));
    }
}
