package dev.propel.standard.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.propel.testkit.KernelProbe;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * im2col and col2im against their definition, for both kernel sets. At stride 1 with as many output as input columns
 * they copy and add whole shifted planes, so that path is checked here on "same" paddings (even, uneven, dilated,
 * wider than the image) and a 1x1 kernel, beside two geometries that take the row-by-row path.
 */
class ColumnsReferenceTest {
    static final int BATCH = 3;
    static final int CHANNELS = 2;

    static List<Object[]> cases() {
        List<ConvGeometry> geometries = List.of(
                new ConvGeometry(CHANNELS, 6, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1),   // resnet's 3x3, same
                new ConvGeometry(CHANNELS, 5, 6, 2, 4, 1, 1, 0, 1, 1, 2, 1, 1),   // even kernel: uneven same padding
                new ConvGeometry(CHANNELS, 5, 4, 3, 3, 1, 1, 4, 4, 4, 4, 4, 4),   // dilated taps wholly in the padding
                new ConvGeometry(CHANNELS, 4, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1),   // pointwise
                new ConvGeometry(CHANNELS, 7, 6, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1),   // strided: row by row
                new ConvGeometry(CHANNELS, 5, 6, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1));  // valid: fewer output columns
        return geometries.stream().flatMap(g -> List.of(
                new Object[]{"scalar", new ScalarConvKernels(), g},
                new Object[]{"vector", new VectorConvKernels(), g}).stream()).toList();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void columnsAndTheirAdjointFollowTheDefinition(String name, ConvKernels k, ConvGeometry g) {
        SplittableRandom rng = new SplittableRandom(3);
        int rows = CHANNELS * g.taps();
        int cols = (BATCH - 1) * g.outPlane(); // samples 1 and 2 of the batch
        float[] x = KernelProbe.uniform(rng, BATCH * CHANNELS * g.inPlane(), -1, 1);
        float[] col = new float[rows * cols];
        java.util.Arrays.fill(col, Float.NaN); // every entry must be written
        k.im2col(g, x, 1, BATCH - 1, col, 0, CHANNELS);
        float[] dcol = KernelProbe.uniform(rng, col.length, -1, 1);
        float[] dcolCopy = dcol.clone();
        float[] dx = new float[x.length];
        java.util.Arrays.fill(dx, 7f); // sample 0 untouched, samples 1 and 2 overwritten
        k.col2im(g, dcol, 1, BATCH - 1, dx, 0, CHANNELS);

        double[] dxRef = new double[x.length];
        for (int n = 0; n < CHANNELS * g.inPlane(); n++) dxRef[n] = 7;
        for (int c = 0; c < CHANNELS; c++) {
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++) {
                    int row = (c * g.kernelH() + i) * g.kernelW() + j;
                    for (int s = 0; s < BATCH - 1; s++) {
                        for (int oh = 0; oh < g.outH(); oh++) {
                            for (int ow = 0; ow < g.outW(); ow++) {
                                int at = row * cols + (s * g.outH() + oh) * g.outW() + ow;
                                int ih = oh * g.strideH() - g.padTop() + i * g.dilationH();
                                int iw = ow * g.strideW() - g.padLeft() + j * g.dilationW();
                                boolean inside = ih >= 0 && ih < g.height() && iw >= 0 && iw < g.width();
                                int xi = (((s + 1) * CHANNELS + c) * g.height() + ih) * g.width() + iw;
                                assertEquals(inside ? x[xi] : 0f, col[at], "col row " + row + " column " + (at - row * cols));
                                if (inside) dxRef[xi] += dcolCopy[at];
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < dx.length; i++) assertEquals(dxRef[i], dx[i], 1e-5, "dx[" + i + "]");
    }
}
