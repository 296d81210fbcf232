package dev.propel.standard.kernel;

import dev.propel.spi.KernelFamily;
import dev.propel.testkit.KernelFamilyContract;
import dev.propel.testkit.KernelProbe;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The Vector API loops against the scalar ones on 3 samples of 5 channels with n positions each (layer
 * normalisation: 5 blocks of 3 features), sizes with tails, over the range [1, 4) of buffers that start filled
 * with a marker, so a write outside the range shows as a difference too. Every result is plain arithmetic in the same order: the same bits.
 */
class NormKernelsContractTest extends KernelFamilyContract<NormKernels> {
    private static final int BATCH = 3;
    private static final int CHANNELS = 5;
    private static final int FROM = 1;
    private static final int TO = 4;
    private static final float MARK = -7.25f;

    private static float[] marked(int n) {
        float[] a = new float[n];
        Arrays.fill(a, MARK);
        return a;
    }

    static float[] forward(NormKernels k, RandomGenerator rng, int n, boolean affine) {
        int size = BATCH * CHANNELS * n;
        float[] x = KernelProbe.uniform(rng, size, -2, 3);
        float[] gamma = affine ? KernelProbe.uniform(rng, CHANNELS, 0.5, 1.5) : null;
        float[] beta = affine ? KernelProbe.uniform(rng, CHANNELS, -1, 1) : null;
        float[] acc = marked(CHANNELS * n), mean = marked(CHANNELS), squares = marked(CHANNELS), rstd = marked(CHANNELS);
        float[] xh = marked(size), y = marked(size);
        k.batchNormForward(x, BATCH, CHANNELS, n, 1e-5f, gamma, beta, acc, mean, squares, rstd, xh, y, FROM, TO);
        return KernelProbe.concat(mean, squares, rstd, xh, y);
    }

    static float[] backward(NormKernels k, RandomGenerator rng, int n, boolean affine, boolean inputGradient) {
        int size = BATCH * CHANNELS * n;
        float[] dy = KernelProbe.uniform(rng, size, -1, 1), xh = KernelProbe.uniform(rng, size, -2, 2);
        float[] rstd = KernelProbe.uniform(rng, CHANNELS, 0.2, 3);
        float[] gamma = affine ? KernelProbe.uniform(rng, CHANNELS, 0.5, 1.5) : null;
        float[] acc = marked(2 * CHANNELS * n), sumDy = marked(CHANNELS), sumDyXh = marked(CHANNELS);
        float[] dx = inputGradient ? marked(size) : null;
        k.batchNormBackward(dy, xh, BATCH, CHANNELS, n, rstd, gamma, acc, sumDy, sumDyXh, dx, FROM, TO);
        return inputGradient ? KernelProbe.concat(sumDy, sumDyXh, dx) : KernelProbe.concat(sumDy, sumDyXh);
    }

    static float[] affine(NormKernels k, RandomGenerator rng, int n) {
        int size = BATCH * CHANNELS * n;
        float[] x = KernelProbe.uniform(rng, size, -3, 3);
        float[] a = KernelProbe.uniform(rng, CHANNELS, -2, 2), b = KernelProbe.uniform(rng, CHANNELS, -1, 1);
        float[] y = marked(size);
        k.channelAffine(x, BATCH, CHANNELS, n, a, b, y, FROM, TO);
        return y;
    }

    static float[] layerForward(NormKernels k, RandomGenerator rng, int n, boolean affine) {
        int size = CHANNELS * BATCH * n;
        float[] x = KernelProbe.uniform(rng, size, -2, 3);
        float[] gamma = affine ? KernelProbe.uniform(rng, BATCH, 0.5, 1.5) : null;
        float[] beta = affine ? KernelProbe.uniform(rng, BATCH, -1, 1) : null;
        float[] mean = marked(CHANNELS * n), rstd = marked(CHANNELS * n), xh = marked(size), y = marked(size);
        k.layerNormForward(x, BATCH, n, 1e-6f, gamma, beta, mean, rstd, xh, y, FROM, TO);
        return KernelProbe.concat(mean, rstd, xh, y);
    }

    static float[] layerBackward(NormKernels k, RandomGenerator rng, int n, boolean affine) {
        int size = CHANNELS * BATCH * n;
        float[] dy = KernelProbe.uniform(rng, size, -1, 1), xh = KernelProbe.uniform(rng, size, -2, 2);
        float[] rstd = KernelProbe.uniform(rng, CHANNELS * n, 0.2, 3);
        float[] gamma = affine ? KernelProbe.uniform(rng, BATCH, 0.5, 1.5) : null;
        float[] a = marked(CHANNELS * n), b = marked(CHANNELS * n), dx = marked(size);
        k.layerNormBackward(dy, xh, BATCH, n, gamma, rstd, a, b, dx, FROM, TO);
        return KernelProbe.concat(a, b, dx);
    }

    @Override
    protected KernelFamily<NormKernels> family() {
        return NormKernels.family();
    }

    @Override
    protected List<KernelProbe<NormKernels>> probes() {
        return List.of(
                KernelProbe.bitwise("batch norm forward", (k, rng, n) -> forward(k, rng, n, true)),
                KernelProbe.bitwise("batch norm forward, no affine", (k, rng, n) -> forward(k, rng, n, false)),
                KernelProbe.bitwise("batch norm backward", (k, rng, n) -> backward(k, rng, n, true, true)),
                KernelProbe.bitwise("batch norm backward, no affine", (k, rng, n) -> backward(k, rng, n, false, true)),
                KernelProbe.bitwise("batch norm backward, sums only", (k, rng, n) -> backward(k, rng, n, true, false)),
                KernelProbe.bitwise("channel affine", NormKernelsContractTest::affine),
                KernelProbe.bitwise("layer norm forward", (k, rng, n) -> layerForward(k, rng, n, true)),
                KernelProbe.bitwise("layer norm forward, no affine", (k, rng, n) -> layerForward(k, rng, n, false)),
                KernelProbe.bitwise("layer norm backward", (k, rng, n) -> layerBackward(k, rng, n, true)),
                KernelProbe.bitwise("layer norm backward, no affine", (k, rng, n) -> layerBackward(k, rng, n, false)));
    }
}
