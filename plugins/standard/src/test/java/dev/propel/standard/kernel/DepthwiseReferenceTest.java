package dev.propel.standard.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.propel.testkit.KernelProbe;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The depthwise passes against their definition, summed in double precision here: the stride-1 path computes on
 * zero-padded planes (taps in the padding add w·0, the input gradient is a window sum with the taps reversed), so
 * it is checked on its own, with uneven padding, dilation and non-square kernels, for both kernel sets.
 */
class DepthwiseReferenceTest {
    static final int BATCH = 2;
    static final int CHANNELS = 3;

    static List<Object[]> cases() {
        List<ConvGeometry> geometries = List.of(
                new ConvGeometry(CHANNELS, 14, 14, 7, 7, 1, 1, 3, 3, 3, 3, 1, 1),  // ConvNeXt's block at 14x14
                new ConvGeometry(CHANNELS, 7, 7, 7, 7, 1, 1, 3, 3, 3, 3, 1, 1),    // and at 7x7
                new ConvGeometry(CHANNELS, 6, 11, 3, 2, 1, 1, 2, 0, 1, 3, 2, 3),   // uneven padding, dilation
                new ConvGeometry(CHANNELS, 5, 9, 2, 3, 1, 1, 0, 0, 0, 0, 1, 1),    // no padding
                new ConvGeometry(CHANNELS, 9, 8, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1));   // strided: the row loops
        return geometries.stream().flatMap(g -> List.of(
                new Object[]{"scalar", new ScalarConvKernels(), g},
                new Object[]{"vector", new VectorConvKernels(), g}).stream()).toList();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void forwardAndBackwardFollowTheDefinition(String name, ConvKernels k, ConvGeometry g) {
        SplittableRandom rng = new SplittableRandom(7);
        int outH = g.outH();
        int outW = g.outW();
        float[] x = KernelProbe.uniform(rng, BATCH * CHANNELS * g.inPlane(), -1, 1);
        float[] w = KernelProbe.uniform(rng, CHANNELS * g.taps(), -1, 1);
        float[] b = KernelProbe.uniform(rng, CHANNELS, -1, 1);
        float[] dy = KernelProbe.uniform(rng, BATCH * CHANNELS * g.outPlane(), -1, 1);
        float[] y = new float[dy.length];
        k.depthwiseForward(g, x, w, b, y, BATCH, 0, CHANNELS);
        float[] dx = KernelProbe.uniform(rng, x.length, -1, 1); // overwritten
        float[] dw = new float[w.length];
        float[] db = new float[CHANNELS];
        k.depthwiseBackward(g, x, w, dy, dx, dw, db, BATCH, 0, CHANNELS);

        double[] yRef = new double[y.length];
        double[] dxRef = new double[x.length];
        double[] dwRef = new double[w.length];
        double[] dbRef = new double[CHANNELS];
        for (int n = 0; n < BATCH; n++) {
            for (int c = 0; c < CHANNELS; c++) {
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        int o = ((n * CHANNELS + c) * outH + oh) * outW + ow;
                        double sum = b[c];
                        dbRef[c] += dy[o];
                        for (int i = 0; i < g.kernelH(); i++) {
                            for (int j = 0; j < g.kernelW(); j++) {
                                int ih = oh * g.strideH() - g.padTop() + i * g.dilationH();
                                int iw = ow * g.strideW() - g.padLeft() + j * g.dilationW();
                                if (ih < 0 || ih >= g.height() || iw < 0 || iw >= g.width()) continue;
                                int xi = ((n * CHANNELS + c) * g.height() + ih) * g.width() + iw;
                                int t = c * g.taps() + i * g.kernelW() + j;
                                sum += (double) w[t] * x[xi];
                                dwRef[t] += (double) dy[o] * x[xi];
                                dxRef[xi] += (double) w[t] * dy[o];
                            }
                        }
                        yRef[o] = sum;
                    }
                }
            }
        }
        assertClose("y", yRef, y);
        assertClose("dx", dxRef, dx);
        assertClose("dW", dwRef, dw);
        assertClose("db", dbRef, db);
    }

    private static void assertClose(String what, double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * (1 + Math.abs(expected[i])), what + "[" + i + "]");
        }
    }
}
