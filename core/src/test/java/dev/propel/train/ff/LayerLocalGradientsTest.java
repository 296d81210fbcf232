package dev.propel.train.ff;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gradient work of a batch, split into parts that data-parallel workers compute, adds up to the whole batch's. */
class LayerLocalGradientsTest {
    private static final int N = 16;
    private static final int CLASSES = 4;

    private static ForwardForwardModel model(Propel propel) {
        SplittableRandom rng = new SplittableRandom(9);
        float[] w = new float[24 * CLASSES];
        for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextGaussian();
        // A head that is not all zero, so hard negatives depend on its prediction.
        Map<String, Tensor> head = Map.of(SoftmaxHead.WEIGHT, Tensor.of(w, 24, CLASSES), SoftmaxHead.BIAS, Tensor.zeros(CLASSES));
        ForwardForwardSettings settings = new ForwardForwardSettings(CLASSES, 1f, Goodness.SUM, 1f, PredictionRule.SOFTMAX, 1);
        return ForwardForwardModel.restore(FfFixtures.stack(propel, 20, 3, 24, 24), settings, head);
    }

    /** Gradients (all parameters, in order) followed by the head's and the blocks' losses. */
    private static float[] compute(LayerLocalGradients g, Dataset data, double[] draws, int from, int rows) {
        int cols = data.features().rowSize();
        float[] x = Arrays.copyOfRange(data.features().data(), from * cols, (from + rows) * cols);
        int[] labels = Arrays.copyOfRange(data.labels(), from, from + rows);
        ForwardForwardGradients.Losses losses = g.compute(x, labels, rows, N, null, Arrays.copyOfRange(draws, from, from + rows), 0, 1, 1);
        List<Parameter> params = g.parameters();
        int size = 0;
        for (Parameter p : params) size += p.gradient().size();
        float[] all = new float[size + 3];
        int at = 0;
        for (Parameter p : params) {
            System.arraycopy(p.gradient().data(), 0, all, at, p.gradient().size());
            at += p.gradient().size();
        }
        all[at] = losses.head();
        all[at + 1] = losses.blocks()[0];
        all[at + 2] = losses.blocks()[1];
        return all;
    }

    @Test
    void twoPartsOfABatchAddUpToTheWholeBatch() {
        try (Propel propel = FfFixtures.propel()) {
            Dataset data = FfFixtures.blobs("blobs", N, CLASSES, 20, 4);
            double[] draws = new SplittableRandom(5).doubles(N).toArray();
            LayerLocalGradients g = new LayerLocalGradients(model(propel), N, 7, 0f);
            float[] whole = compute(g, data, draws, 0, N);
            float[] first = compute(g, data, draws, 0, 10);
            float[] second = compute(g, data, draws, 10, N - 10);
            assertEquals(whole.length, first.length);
            double scale = 0;
            for (float v : whole) scale = Math.max(scale, Math.abs(v));
            double worst = 0;
            for (int i = 0; i < whole.length; i++) {
                double sum = (double) first[i] + second[i];
                worst = Math.max(worst, Math.abs(sum - whole[i]) / Math.max(Math.abs(whole[i]), 1e-3 * scale));
            }
            assertTrue(worst <= 1e-5, "parts vs whole: max relative difference " + worst);
            assertTrue(whole[whole.length - 3] > 0 && whole[whole.length - 1] > 0, "the head and block losses are computed");
        }
    }
}
