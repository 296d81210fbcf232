package com.example.propel;

import dev.propel.Propel;
import dev.propel.spi.Layer;
import dev.propel.spi.Loss;
import dev.propel.spi.Optimizer;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.TensorAsserts;
import dev.propel.testkit.TestLayerContext;
import dev.propel.testkit.TestLayers;
import dev.propel.testkit.Testkit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The example types against values worked out by hand (the contracts check gradients and behaviour). */
class ExampleValuesTest {
    private static final Propel PROPEL = Testkit.propel();

    @Test
    void swishWithBetaOneIsSilu() {
        Layer swish = TestLayers.create(PROPEL.layerFactory("swish"), Map.of(), Shape.of(4), 1);
        float[] x = {-3f, -0.5f, 0f, 2f};
        Tensor y = swish.forward(Tensor.of(x, 1, 4), TestLayerContext.inference(PROPEL.kernels()));
        float[] silu = new float[4];
        for (int i = 0; i < 4; i++) silu[i] = (float) (x[i] / (1 + Math.exp(-x[i])));
        TensorAsserts.assertClose("x·sigmoid(x)", Tensor.of(silu, 1, 4), y, 1e-6, 1e-7);
        assertEquals(List.of("beta"), List.copyOf(swish.parameters().keySet()));
    }

    @Test
    void swishReadsTheLiveBetaParameter() {
        Layer swish = TestLayers.create(PROPEL.layerFactory("swish"), Map.of("beta", 1.0), Shape.of(1), 1);
        swish.parameters().get("beta").data()[0] = 0f;  // y = x·sigmoid(0) = x/2
        Tensor y = swish.forward(Tensor.of(new float[] {3f}, 1, 1), TestLayerContext.inference(PROPEL.kernels()));
        assertEquals(1.5f, y.data()[0]);
    }

    @Test
    void fixedBetaHasNoParameters() {
        Layer swish = TestLayers.create(PROPEL.layerFactory("swish"), Map.of("learnable", false), Shape.of(3), 1);
        assertEquals(Map.of(), swish.parameters());
    }

    @Test
    void huberIsQuadraticInsideDeltaAndLinearOutside() {
        Loss huber = PROPEL.lossFactory("huber").create(PROPEL.lossFactory("huber").schema().resolve("huber", Map.of("delta", 1.0)));
        // d = 0.5 → 0.125; d = −3 → 1·(3 − 0.5) = 2.5; d = 1 → 0.5; d = 0 → 0. Mean = 3.125 / 4.
        Tensor p = Tensor.of(new float[] {0.5f, -3f, 1f, 2f}, 2, 2);
        Tensor t = Tensor.of(new float[] {0f, 0f, 0f, 2f}, 2, 2);
        Tensor g = Tensor.zeros(2, 2);
        assertEquals(3.125f / 4, huber.compute(p, t, g, PROPEL.kernels()), 1e-7f);
        TensorAsserts.assertClose("clamp(d, -1, 1)/4", Tensor.of(new float[] {0.125f, -0.25f, 0.25f, 0f}, 2, 2), g, 1e-6, 1e-8);
    }

    @Test
    void qhmTakesTheWeightedStepOfThePaper() {
        Optimizer qhm = PROPEL.optimizer("qhm", Map.of("learning_rate", 0.5, "nu", 0.7, "beta", 0.9));
        Tensor w = Tensor.of(new float[] {1f, -2f}, 2);
        Tensor g = Tensor.of(new float[] {0.4f, 1f}, 2);
        List<Parameter> params = List.of(new Parameter("l.w", w, g));
        qhm.step(params, 0.5f, PROPEL.kernels());
        // b = 0.1·g; w −= 0.5·(0.3·g + 0.7·0.1·g) = 0.5·0.37·g
        TensorAsserts.assertClose("w after one step", Tensor.of(new float[] {1f - 0.185f * 0.4f, -2f - 0.185f}, 2), w, 1e-6, 1e-7);
        TensorAsserts.assertClose("momentum buffer", Tensor.of(new float[] {0.04f, 0.1f}, 2), qhm.state().get("l.w/momentum_buffer"),
                1e-6, 1e-8);
        qhm.step(params, 0.5f, PROPEL.kernels());
        // b = 0.9·0.1·g + 0.1·g = 0.19·g; w −= 0.5·(0.3 + 0.7·0.19)·g = 0.2165·g
        TensorAsserts.assertClose("w after two steps", Tensor.of(new float[] {1f - 0.4015f * 0.4f, -2f - 0.4015f}, 2), w, 1e-6, 1e-6);
    }

    @Test
    void qhmRefusesStateItDoesNotKeep() {
        Optimizer qhm = PROPEL.optimizer("qhm", Map.of());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> qhm.loadState(Map.of("l.w/m", Tensor.zeros(2)), 3));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'qhm'") && e.getMessage().contains("l.w/m")
                && e.getMessage().contains("momentum_buffer"), e.getMessage());
    }

    @Test
    void layerNormOfTwoValuesIsMinusOneAndOne() {
        Layer norm = TestLayers.create(PROPEL.layerFactory("example_layer_norm"), Map.of("eps", 0.0625), Shape.of(2), 1);
        // Row [1, 3]: mean 2, biased variance 1, so x̂ = ±1/√1.0625; then ·g + b with g = [2, 1], b = [0, 5].
        norm.parameters().get("weight").copyFrom(Tensor.of(new float[] {2f, 1f}, 2));
        norm.parameters().get("bias").copyFrom(Tensor.of(new float[] {0f, 5f}, 2));
        Tensor y = norm.forward(Tensor.of(new float[] {1f, 3f}, 1, 2), TestLayerContext.inference(PROPEL.kernels()));
        float r = (float) (1 / Math.sqrt(1.0625));
        TensorAsserts.assertClose("x̂·g + b", Tensor.of(new float[] {-2f * r, 5f + r}, 1, 2), y, 1e-6, 1e-7);
        assertEquals(List.of("weight", "bias"), List.copyOf(norm.parameters().keySet()));
    }

    @Test
    void focalOnEvenOddsIsTheQuarterOfCrossEntropy() {
        Loss focal = PROPEL.lossFactory("focal").create(PROPEL.lossFactory("focal").schema().resolve("focal", Map.of()));
        // Logits [0, 0], target class 0: p = ½, L = −(½)²·ln ½ = ¼·ln 2. With γ = 2:
        // v_0 = γ·p·ln p·q − q² = −½·ln 2 − ¼, dz_0 = v_0 − p·v_0 = v_0/2, dz_1 = −p·v_0 = −v_0/2.
        Tensor g = Tensor.zeros(1, 2);
        float loss = focal.compute(Tensor.of(new float[] {0f, 0f}, 1, 2), Tensor.of(new float[] {1f, 0f}, 1, 2), g,
                PROPEL.kernels());
        assertEquals((float) (0.25 * Math.log(2)), loss, 1e-7f);
        float v0 = (float) (-0.5 * Math.log(2) - 0.25);
        TensorAsserts.assertClose("focal gradient", Tensor.of(new float[] {v0 / 2, -v0 / 2}, 1, 2), g, 1e-6, 1e-7);
    }

    @Test
    void lionMovesEveryCoordinateByTheLearningRate() {
        Optimizer lion = PROPEL.optimizer("lion", Map.of("learning_rate", 0.5, "beta1", 0.9, "beta2", 0.99, "weight_decay", 0.2));
        Tensor w = Tensor.of(new float[] {1f, -2f, 3f}, 3);
        Tensor g = Tensor.of(new float[] {0.4f, -1e-3f, 0f}, 3);
        List<Parameter> params = List.of(new Parameter("l.w", w, g));
        lion.step(params, 0.5f, PROPEL.kernels());
        // m = 0, so c = 0.1·g and sign(c) = sign(g); w ·= 1 − 0.5·0.2, then w −= 0.5·sign(g); m = 0.01·g.
        TensorAsserts.assertClose("w after one step", Tensor.of(new float[] {0.9f - 0.5f, -1.8f + 0.5f, 2.7f}, 3), w, 1e-6, 1e-7);
        TensorAsserts.assertClose("momentum", Tensor.of(new float[] {0.004f, -1e-5f, 0f}, 3), lion.state().get("l.w/m"), 1e-6, 1e-9);
        g.copyFrom(Tensor.of(new float[] {-0.01f, -0.01f, -0.01f}, 3));
        lion.step(params, 0.5f, PROPEL.kernels());
        // c = 0.9·m + 0.1·g = [0.0026, −0.001009, −0.001]: the momentum keeps the first coordinate's sign.
        TensorAsserts.assertClose("w after two steps", Tensor.of(new float[] {0.36f - 0.5f, -1.17f + 0.5f, 2.43f + 0.5f}, 3), w,
                1e-6, 1e-6);
    }
}
