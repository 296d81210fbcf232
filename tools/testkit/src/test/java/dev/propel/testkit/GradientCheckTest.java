package dev.propel.testkit;

import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.Loss;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gradient checker must pass correct gradients and catch wrong ones, with a useful message. */
class GradientCheckTest {
    private final Kernels k = KernelsProvider.scalar();

    /** y = w ⊙ x² (w a per-feature parameter); the flags plant bugs in backward. */
    private static final class ScaledSquare implements Layer {
        private final Tensor w;
        private final boolean wrongInputGradient;
        private final boolean overwritesParameterGradient;

        ScaledSquare(int features, boolean wrongInputGradient, boolean overwritesParameterGradient) {
            this.w = RandomTensors.uniform(new SplittableRandom(3), 0.5f, 1.5f, features);
            this.wrongInputGradient = wrongInputGradient;
            this.overwritesParameterGradient = overwritesParameterGradient;
        }

        @Override public String typeId() { return "scaled_square"; }
        @Override public String name() { return "sq_0"; }
        @Override public Attributes attributes() { return Attributes.empty(); }
        @Override public Shape inputShape() { return Shape.of(w.size()); }
        @Override public Shape outputShape() { return Shape.of(w.size()); }
        @Override public Map<String, Tensor> parameters() { return Map.of("w", w); }

        @Override
        public Tensor forward(Tensor input, LayerContext ctx) {
            Tensor y = ctx.buffer("y", input.shape());
            int f = w.size();
            for (int r = 0; r < input.rows(); r++) {
                for (int c = 0; c < f; c++) {
                    float x = input.data()[r * f + c];
                    y.data()[r * f + c] = w.data()[c] * x * x;
                }
            }
            ctx.save("x", input);
            return y;
        }

        @Override
        public Tensor backward(Tensor dy, LayerContext ctx) {
            Tensor x = ctx.saved("x");
            Tensor dx = ctx.buffer("dx", x.shape());
            Tensor dw = ctx.gradient("w");
            int f = w.size();
            if (overwritesParameterGradient) k().fill(dw.data(), f, 0f);
            for (int r = 0; r < x.rows(); r++) {
                for (int c = 0; c < f; c++) {
                    float xv = x.data()[r * f + c];
                    float g = dy.data()[r * f + c];
                    dx.data()[r * f + c] = (wrongInputGradient ? 1f : 2f) * w.data()[c] * xv * g;
                    dw.data()[c] += xv * xv * g;
                }
            }
            return dx;
        }

        private static Kernels k() {
            return KernelsProvider.scalar();
        }
    }

    /** L = Σ p² / (2n); gradient p/n, or a wrong one. */
    private record HalfMeanSquare(boolean wrong) implements Loss {
        @Override public String typeId() { return "half_mean_square"; }
        @Override public Attributes attributes() { return Attributes.empty(); }

        @Override
        public float compute(Tensor p, Tensor t, Tensor gradient, Kernels k) {
            int n = p.size();
            if (gradient != null) k.scale(wrong ? 2f / n : 1f / n, p.data(), gradient.data(), n);
            return k.sumSquares(p.data(), n) / (2f * n);
        }
    }

    @Test
    void passesACorrectLayer() {
        Tensor x = RandomTensors.normal(new SplittableRandom(1), 3, 17);
        assertDoesNotThrow(() -> GradientCheck.layer(new ScaledSquare(17, false, false), x, k).run());
    }

    @Test
    void reportsAWrongInputGradientWithLayerTensorAndValues() {
        Tensor x = RandomTensors.normal(new SplittableRandom(1), 3, 17);
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradientCheck.layer(new ScaledSquare(17, true, false), x, k).run());
        String m = e.getMessage();
        assertTrue(m.contains("layer 'sq_0' (scaled_square)") && m.contains("input gradient")
                && m.contains("worst element [") && m.contains("analytic") && m.contains("numeric"), m);
    }

    @Test
    void reportsAParameterGradientThatIsOverwrittenInsteadOfAccumulated() {
        Tensor x = RandomTensors.normal(new SplittableRandom(1), 3, 5);
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradientCheck.layer(new ScaledSquare(5, false, true), x, k).run());
        assertTrue(e.getMessage().contains("parameter 'w'") && e.getMessage().contains("not accumulated"), e.getMessage());
    }

    @Test
    void checksLosses() {
        Tensor p = RandomTensors.normal(new SplittableRandom(2), 4, 3);
        Tensor t = Tensor.zeros(4, 3);
        assertDoesNotThrow(() -> GradientCheck.loss(new HalfMeanSquare(false), p, t, k).run());
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradientCheck.loss(new HalfMeanSquare(true), p, t, k).run());
        assertTrue(e.getMessage().contains("loss 'half_mean_square'") && e.getMessage().contains("analytic"), e.getMessage());
    }

    @Test
    void testContextCountsBufferAllocations() {
        TestLayerContext ctx = TestLayerContext.inference(k);
        ctx.buffer("a", Shape.of(4, 3));
        ctx.buffer("a", Shape.of(4, 3));
        ctx.buffer("a", Shape.of(2, 3));
        assertTrue(ctx.allocations() == 1, "a smaller shape reuses the array");
        ctx.buffer("a", Shape.of(8, 3));
        assertTrue(ctx.allocations() == 2);
    }
}
