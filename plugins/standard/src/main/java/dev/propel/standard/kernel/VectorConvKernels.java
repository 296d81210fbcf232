package dev.propel.standard.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ConvKernels} with the JDK Vector API ({@link FloatVector#SPECIES_PREFERRED}): the loop nests of
 * {@link ConvLoops} with their contiguous row runs a vector at a time, then the rest of the row in plain Java
 * (no masked steps: on these short rows they cost more than the arithmetic). Element-wise rows perform the
 * scalar twin's operations (fused multiply-adds in both), so convolution outputs, input gradients and pooling
 * give its bits; the row sums (depthwise weight and bias gradients) add up the whole vectors in lanes (four
 * chains of vectors, added together), then the lanes in order, then the rest of the row, and agree within
 * rounding (the same bits on every run and thread count).
 */
public final class VectorConvKernels extends ConvLoops {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    @Override
    void addRow(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        add(src, srcOff, dst, dstOff, n);
    }

    /** {@code dst[dstOff + k] += src[srcOff + k]} for k in [0, n); also {@link VectorNormKernels}' row sum. */
    static void add(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        // Whole vectors, then the tail in plain Java (the same sums): the rows are short (an image row), and a
        // masked load or store at every step, or past the end of an array, costs more than the adds.
        int k = 0;
        for (; k <= n - LANES; k += LANES) {
            FloatVector.fromArray(SPECIES, dst, dstOff + k).add(FloatVector.fromArray(SPECIES, src, srcOff + k))
                    .intoArray(dst, dstOff + k);
        }
        for (; k < n; k++) {
            dst[dstOff + k] += src[srcOff + k];
        }
    }

    @Override
    void fmaRow(float w, float[] src, int srcOff, float[] dst, int dstOff, int n) {
        FloatVector wv = FloatVector.broadcast(SPECIES, w);
        int k = 0;
        for (; k <= n - LANES; k += LANES) {
            wv.fma(FloatVector.fromArray(SPECIES, src, srcOff + k), FloatVector.fromArray(SPECIES, dst, dstOff + k))
                    .intoArray(dst, dstOff + k);
        }
        for (; k < n; k++) {
            dst[dstOff + k] = Math.fma(w, src[srcOff + k], dst[dstOff + k]);
        }
    }

    @Override
    void copyAddRow(float[] src, int srcOff, float[] dst, int dstOff, int n, float add) {
        int k = 0;
        for (; k <= n - LANES; k += LANES) {
            FloatVector.fromArray(SPECIES, src, srcOff + k).add(add).intoArray(dst, dstOff + k);
        }
        for (; k < n; k++) {
            dst[dstOff + k] = src[srcOff + k] + add;
        }
    }

    @Override
    float dotRow(float[] a, int aOff, float[] b, int bOff, int n) {
        // Four chains of whole vectors (one chain waits on the multiply-add latency at every step), then one chain,
        // the chains added up, the lanes in order, the tail in plain Java: these rows are short (a depthwise plane
        // run), and a masked load at every step cost more than the multiply-adds.
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int k = 0;
        for (; k <= n - 4 * LANES; k += 4 * LANES) {
            a0 = FloatVector.fromArray(SPECIES, a, aOff + k).fma(FloatVector.fromArray(SPECIES, b, bOff + k), a0);
            a1 = FloatVector.fromArray(SPECIES, a, aOff + k + LANES).fma(FloatVector.fromArray(SPECIES, b, bOff + k + LANES), a1);
            a2 = FloatVector.fromArray(SPECIES, a, aOff + k + 2 * LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, bOff + k + 2 * LANES), a2);
            a3 = FloatVector.fromArray(SPECIES, a, aOff + k + 3 * LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, bOff + k + 3 * LANES), a3);
        }
        for (; k <= n - LANES; k += LANES) {
            a0 = FloatVector.fromArray(SPECIES, a, aOff + k).fma(FloatVector.fromArray(SPECIES, b, bOff + k), a0);
        }
        float sum = sumLanes(a0.add(a1).add(a2.add(a3)));
        for (; k < n; k++) {
            sum = Math.fma(a[aOff + k], b[bOff + k], sum);
        }
        return sum;
    }

    @Override
    float sumRow(float[] a, int off, int n) {
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int k = 0;
        for (; k <= n - 4 * LANES; k += 4 * LANES) {
            a0 = a0.add(FloatVector.fromArray(SPECIES, a, off + k));
            a1 = a1.add(FloatVector.fromArray(SPECIES, a, off + k + LANES));
            a2 = a2.add(FloatVector.fromArray(SPECIES, a, off + k + 2 * LANES));
            a3 = a3.add(FloatVector.fromArray(SPECIES, a, off + k + 3 * LANES));
        }
        for (; k <= n - LANES; k += LANES) {
            a0 = a0.add(FloatVector.fromArray(SPECIES, a, off + k));
        }
        float sum = sumLanes(a0.add(a1).add(a2.add(a3)));
        for (; k < n; k++) {
            sum += a[off + k];
        }
        return sum;
    }

    @Override
    void windowSums(float[] src, int srcOff, int rowStep, int colStep, float[] w, int wOff, int kh, int kw, float init,
                    float[] out, int outOff, int n) {
        // Four vectors of sums stay in registers over all the taps: one load and one fused multiply-add per tap
        // and vector, instead of a load and a store of the sums per tap.
        int q = 0;
        for (; q <= n - 4 * LANES; q += 4 * LANES) {
            FloatVector a0 = FloatVector.broadcast(SPECIES, init);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int i = 0; i < kh; i++) {
                int row = srcOff + q + i * rowStep;
                for (int j = 0; j < kw; j++) {
                    FloatVector wv = FloatVector.broadcast(SPECIES, w[wOff + i * kw + j]);
                    int at = row + j * colStep;
                    a0 = wv.fma(FloatVector.fromArray(SPECIES, src, at), a0);
                    a1 = wv.fma(FloatVector.fromArray(SPECIES, src, at + LANES), a1);
                    a2 = wv.fma(FloatVector.fromArray(SPECIES, src, at + 2 * LANES), a2);
                    a3 = wv.fma(FloatVector.fromArray(SPECIES, src, at + 3 * LANES), a3);
                }
            }
            a0.intoArray(out, outOff + q);
            a1.intoArray(out, outOff + q + LANES);
            a2.intoArray(out, outOff + q + 2 * LANES);
            a3.intoArray(out, outOff + q + 3 * LANES);
        }
        for (; q <= n - LANES; q += LANES) {
            FloatVector a0 = FloatVector.broadcast(SPECIES, init);
            for (int i = 0; i < kh; i++) {
                int row = srcOff + q + i * rowStep;
                for (int j = 0; j < kw; j++) {
                    a0 = FloatVector.broadcast(SPECIES, w[wOff + i * kw + j]).fma(FloatVector.fromArray(SPECIES, src, row + j * colStep), a0);
                }
            }
            a0.intoArray(out, outOff + q);
        }
        windowSumsPlain(src, srcOff, rowStep, colStep, w, wOff, kh, kw, init, out, outOff, q, n);
    }

    /**
     * The lanes added in lane order. {@code reduceLanes(ADD)} leaves the order open, and the interpreted and
     * the compiled Vector API do use different orders, so it would make results depend on the JIT's timing.
     */
    private static float sumLanes(FloatVector v) {
        float sum = 0f;
        for (int lane = 0; lane < LANES; lane++) sum += v.lane(lane);
        return sum;
    }
}
