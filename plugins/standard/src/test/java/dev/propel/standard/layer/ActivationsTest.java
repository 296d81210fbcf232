package dev.propel.standard.layer;

import dev.propel.spi.Layer;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.TensorAsserts;
import dev.propel.testkit.TestLayerContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.propel.standard.Standard.KERNELS;
import static dev.propel.standard.Standard.layer;

class ActivationsTest {

    @Test
    void softmaxNormalisesTheLastAxisOnly() {
        Layer s = layer("softmax", Map.of(), 2, 3);
        Tensor y = s.forward(Tensor.of(new float[] {0, 0, 0, 1, 1, 1, 0, 0, 1000, 5, 5, 5}, 2, 2, 3),
                TestLayerContext.inference(KERNELS));
        float third = 1f / 3f;
        TensorAsserts.assertClose("softmax", Tensor.of(new float[] {third, third, third, third, third, third,
                0, 0, 1, third, third, third}, 2, 2, 3), y, 1e-6, 1e-7);
    }

    @Test
    void leakyReluDefaultSlopeIsPyTorchs() {
        Layer l = layer("leaky_relu", Map.of(), 2);
        Tensor y = l.forward(Tensor.of(new float[] {-2, 3}, 1, 2), TestLayerContext.inference(KERNELS));
        TensorAsserts.assertBitwiseEqual("leaky_relu", Tensor.of(new float[] {-0.02f, 3}, 1, 2), y);
    }
}
