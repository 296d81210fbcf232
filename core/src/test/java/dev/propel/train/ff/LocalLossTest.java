package dev.propel.train.ff;

import dev.propel.Propel;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;
import dev.propel.model.Model;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalLossTest {
    private final Kernels k = KernelsProvider.scalar();

    /** The loss in double precision, written from the formula alone: an oracle independent of the kernels. */
    private static double oracle(double[] y, int rows, int width, int positives, Goodness kind, double theta, int pairs) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double g = 0;
            for (int j = 0; j < width; j++) g += y[r * width + j] * y[r * width + j];
            if (kind == Goodness.MEAN) g /= width;
            double u = r < positives ? theta - g : g - theta;
            total += Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
        }
        return total / pairs;
    }

    private static float[] randomActivities(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = (float) Math.max(0, rng.nextGaussian() * 0.9 + 0.4);
        return y;
    }

    @ParameterizedTest
    @EnumSource(Goodness.class)
    void gradientWithRespectToActivitiesMatchesFiniteDifferences(Goodness kind) {
        int rows = 6, width = 5, positives = 3, pairs = 3;
        float[] y = randomActivities(rows * width, 7);
        float theta = kind.layerThreshold(1f, width);
        float[] g = new float[rows];
        kind.compute(k, y, rows, width, g);
        float[] grad = new float[rows * width];
        float loss = LocalLoss.lossAndGradient(k, y, rows, width, positives, g, kind, theta, pairs, grad,
                new float[rows], new float[rows], new float[rows]);
        double[] yd = new double[y.length];
        for (int i = 0; i < y.length; i++) yd[i] = y[i];
        assertEquals(oracle(yd, rows, width, positives, kind, theta, pairs), loss, 1e-5);
        double h = 1e-5;
        for (int i = 0; i < y.length; i++) {
            double keep = yd[i];
            yd[i] = keep + h;
            double up = oracle(yd, rows, width, positives, kind, theta, pairs);
            yd[i] = keep - h;
            double down = oracle(yd, rows, width, positives, kind, theta, pairs);
            yd[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, grad[i], 1e-5 + 1e-4 * Math.abs(numeric), "∂L/∂y[" + i + "] (" + kind + ")");
        }
    }

    @Test
    void gradientHasTheClosedFormOfTheJavadoc() {
        // One positive and one negative row of width 2, sum goodness, θ = 2 (per unit 1), P = 1.
        float[] y = {1f, 2f, /* */ 0.5f, 0f};
        float[] g = new float[2];
        Goodness.SUM.compute(k, y, 2, 2, g);
        float[] grad = new float[4];
        LocalLoss.lossAndGradient(k, y, 2, 2, 1, g, Goodness.SUM, 2f, 1, grad, new float[2], new float[2], new float[2]);
        double pPos = 1 / (1 + Math.exp(-(5 - 2)));
        double pNeg = 1 / (1 + Math.exp(-(0.25 - 2)));
        assertEquals(-(1 - pPos) * 2 * 1, grad[0], 1e-6);
        assertEquals(-(1 - pPos) * 2 * 2, grad[1], 1e-6);
        assertEquals(pNeg * 2 * 0.5, grad[2], 1e-6);
        assertEquals(0, grad[3], 0);
    }

    @Test
    void lossIsStableForLargeGoodness() {
        float[] g = {1e6f, -1e6f};
        float loss = LocalLoss.loss(k, 2, 1, g, 10f, 1, new float[2], new float[2]);
        assertEquals(0f, loss, 1e-6f); // a very good positive and a very bad negative cost nothing
        float[] wrong = {-1e6f, 1e6f};
        assertTrue(Float.isFinite(LocalLoss.loss(k, 2, 1, wrong, 10f, 1, new float[2], new float[2])));
    }

    /**
     * The whole block-local chain — dense → relu → goodness → local loss → backward within the block —
     * against finite differences of the loss in each weight and bias of the dense layer.
     */
    @ParameterizedTest
    @EnumSource(Goodness.class)
    void blockParameterGradientsMatchFiniteDifferences(Goodness kind) {
        try (Propel propel = FfFixtures.propel()) {
            int inputs = 4, width = 3, count = 3, rows = 2 * count;
            Model model = FfFixtures.stack(propel, inputs, 11, width);
            FfStack stack = FfStack.of(model);
            StackPass pass = new StackPass(stack, k, true, 1, new ScratchPool());
            float[] x = new float[rows * inputs];
            SplittableRandom rng = new SplittableRandom(3);
            for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
            float theta = kind.layerThreshold(0.8f, width);

            Tensor y = pass.forward(0, x, rows, 1);
            float[] g = new float[rows];
            kind.compute(k, y.data(), rows, width, g);
            float[] grad = new float[rows * width];
            LocalLoss.lossAndGradient(k, y.data(), rows, width, count, g, kind, theta, count, grad,
                    new float[rows], new float[rows], new float[rows]);
            pass.backward(0, Tensor.wrap(grad, y.shape()));

            List<Parameter> params = pass.parameters(0);
            assertEquals(2, params.size());
            float h = 1e-2f;
            int checked = 0;
            for (Parameter p : params) {
                float[] w = p.value().data();
                for (int i = 0; i < p.value().size(); i++) {
                    float keep = w[i];
                    w[i] = keep + h;
                    double up = lossOf(pass, x, rows, width, count, kind, theta);
                    w[i] = keep - h;
                    double down = lossOf(pass, x, rows, width, count, kind, theta);
                    w[i] = keep;
                    double numeric = (up - down) / (2 * h);
                    float analytic = p.gradient().data()[i];
                    assertEquals(numeric, analytic, 2e-3 + 2e-2 * Math.abs(numeric), p.name() + "[" + i + "] (" + kind + ")");
                    if (Math.abs(numeric) > 1e-3) checked++;
                }
            }
            assertTrue(checked > 5, "too few non-zero gradients were compared: " + checked);
        }
    }

    private float lossOf(StackPass pass, float[] x, int rows, int width, int count, Goodness kind, float theta) {
        Tensor y = pass.forward(0, x, rows, 1);
        float[] g = new float[rows];
        kind.compute(k, y.data(), rows, width, g);
        return LocalLoss.loss(k, rows, count, g, theta, count, new float[rows], new float[rows]);
    }

    @Test
    void noGradientLeavesTheBlock() {
        try (Propel propel = FfFixtures.propel()) {
            Model model = FfFixtures.stack(propel, 4, 1, 3);
            StackPass pass = new StackPass(FfStack.of(model), k, true, 1, new ScratchPool());
            float[] x = {1, 0, 0, 1, 0, 1, 1, 0};
            Tensor y = pass.forward(0, x, 2, 1);
            int before = FfTestPlugin.DENSE_INPUT_GRADIENTS.get();
            pass.backward(0, Tensor.wrap(new float[]{1, 1, 1, 1, 1, 1}, y.shape()));
            assertEquals(before, FfTestPlugin.DENSE_INPUT_GRADIENTS.get(), "the dense layer computed an input gradient");
        }
    }
}
