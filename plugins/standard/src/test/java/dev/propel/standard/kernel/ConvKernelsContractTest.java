package dev.propel.standard.kernel;

import dev.propel.spi.KernelFamily;
import dev.propel.testkit.KernelFamilyContract;
import dev.propel.testkit.KernelProbe;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The Vector API convolution loops against the scalar ones. The probe size {@code n} sets the image width
 * (so rows have vector tails), the other dimensions are fixed and odd; each probe runs a stride-1 geometry
 * (the vector rows) and a stride-2, dilated one (the shared strided loops). Everything element-wise must give
 * the same bits; the weight and bias sums of the depthwise backward pass add up in lanes.
 */
class ConvKernelsContractTest extends KernelFamilyContract<ConvKernels> {

    private static final int BATCH = 2;
    private static final int CHANNELS = 3;

    /**
     * Three geometries on a 5 × width image: 3x3 padding 1; 3x2 stride 2 dilation 2 with uneven padding; 2x3 stride 1
     * dilation 2 with uneven padding (the depthwise passes take another path at stride 1).
     */
    private static List<ConvGeometry> geometries(int n) {
        int width = Math.min(n, 67) + 2;
        return List.of(new ConvGeometry(CHANNELS, 5, width, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1),
                new ConvGeometry(CHANNELS, 5, width, 3, 2, 2, 2, 1, 0, 2, 1, 2, 2),
                new ConvGeometry(CHANNELS, 5, width, 2, 3, 1, 1, 2, 0, 1, 3, 2, 2));
    }

    @FunctionalInterface
    private interface GeometryRun {
        List<float[]> apply(ConvKernels k, RandomGenerator rng, ConvGeometry g);
    }

    private static KernelProbe.Run<ConvKernels> eachGeometry(GeometryRun run) {
        return (k, rng, n) -> KernelProbe.concat(geometries(n).stream().flatMap(g -> run.apply(k, rng, g).stream())
                .toArray(float[][]::new));
    }

    private static float[] input(RandomGenerator rng, ConvGeometry g) {
        return KernelProbe.uniform(rng, BATCH * CHANNELS * g.inPlane(), -1, 1);
    }

    private static float[] output(RandomGenerator rng, ConvGeometry g) {
        return KernelProbe.uniform(rng, BATCH * CHANNELS * g.outPlane(), -1, 1);
    }

    @Override
    protected KernelFamily<ConvKernels> family() {
        return ConvKernels.family();
    }

    @Override
    protected List<KernelProbe<ConvKernels>> probes() {
        return List.of(
                KernelProbe.bitwise("im2col and col2im", eachGeometry((k, rng, g) -> {
                    float[] x = input(rng, g);
                    float[] col = new float[CHANNELS * g.taps() * BATCH * g.outPlane()];
                    k.im2col(g, x, 0, BATCH, col, 0, CHANNELS);
                    float[] dcol = KernelProbe.uniform(rng, col.length, -1, 1);
                    float[] dx = KernelProbe.uniform(rng, x.length, -1, 1); // overwritten
                    k.col2im(g, dcol, 0, BATCH, dx, 0, CHANNELS);
                    return List.of(col, dx);
                })),
                KernelProbe.bitwise("channels to samples", eachGeometry((k, rng, g) -> {
                    int spatial = g.outPlane();
                    float[] t = KernelProbe.uniform(rng, CHANNELS * BATCH * spatial, -1, 1);
                    float[] bias = KernelProbe.uniform(rng, CHANNELS, -1, 1);
                    float[] y = new float[(BATCH + 1) * CHANNELS * spatial];
                    float[] plain = new float[y.length];
                    k.channelsToSamples(t, bias, y, 1, BATCH, CHANNELS, spatial, 0, CHANNELS);
                    k.channelsToSamples(t, null, plain, 1, BATCH, CHANNELS, spatial, 0, CHANNELS);
                    float[] back = new float[t.length];
                    k.samplesToChannels(plain, back, null, 0, 1, BATCH, CHANNELS, spatial, 0, CHANNELS);
                    return List.of(y, plain, back);
                })),
                KernelProbe.within("bias gradient of samples to channels", 1e-5, 1e-5, eachGeometry((k, rng, g) -> {
                    int spatial = g.outPlane();
                    float[] dy = KernelProbe.uniform(rng, BATCH * CHANNELS * spatial, -1, 1);
                    float[] t = new float[dy.length];
                    float[] db = KernelProbe.uniform(rng, CHANNELS + 3, -1, 1); // sums land at 3, the rest untouched
                    k.samplesToChannels(dy, t, db, 3, 0, BATCH, CHANNELS, spatial, 0, CHANNELS);
                    return List.of(t, db);
                })),
                KernelProbe.bitwise("depthwise forward", eachGeometry((k, rng, g) -> {
                    float[] x = input(rng, g);
                    float[] w = KernelProbe.uniform(rng, CHANNELS * g.taps(), -1, 1);
                    float[] b = KernelProbe.uniform(rng, CHANNELS, -1, 1);
                    float[] y = new float[BATCH * CHANNELS * g.outPlane()];
                    float[] yNoBias = new float[y.length];
                    k.depthwiseForward(g, x, w, b, y, BATCH, 0, CHANNELS);
                    k.depthwiseForward(g, x, w, null, yNoBias, BATCH, 0, CHANNELS);
                    return List.of(y, yNoBias);
                })),
                KernelProbe.within("depthwise backward", 1e-5, 1e-5, eachGeometry((k, rng, g) -> {
                    float[] x = input(rng, g);
                    float[] w = KernelProbe.uniform(rng, CHANNELS * g.taps(), -1, 1);
                    float[] dy = output(rng, g);
                    float[] dx = KernelProbe.uniform(rng, x.length, -1, 1); // overwritten
                    float[] dw = KernelProbe.uniform(rng, w.length, -1, 1);
                    float[] db = KernelProbe.uniform(rng, CHANNELS, -1, 1);
                    k.depthwiseBackward(g, x, w, dy, dx, dw, db, BATCH, 0, CHANNELS);
                    return List.of(dx, dw, db);
                })),
                KernelProbe.bitwise("pooling", eachGeometry((k, rng, g) -> {
                    ConvGeometry pool = new ConvGeometry(CHANNELS, g.height(), g.width(), g.kernelH(), g.kernelW(),
                            g.strideH(), g.strideW(), 1, 1, 1, 1, 1, 1);
                    float[] x = input(rng, pool);
                    int outs = BATCH * CHANNELS * pool.outPlane();
                    float[] y = new float[outs];
                    float[] argmax = new float[outs];
                    float[] avg = new float[outs];
                    float[] dy = output(rng, pool);
                    float[] dxMax = new float[x.length];
                    float[] dxAvg = new float[x.length];
                    int planes = BATCH * CHANNELS;
                    k.maxPoolForward(pool, x, y, argmax, 0, planes);
                    k.maxPoolBackward(pool, dy, argmax, dxMax, 0, planes);
                    k.avgPoolForward(pool, x, avg, 0, planes);
                    k.avgPoolBackward(pool, dy, dxAvg, 0, planes);
                    return List.of(y, argmax, dxMax, avg, dxAvg);
                })));
    }
}
