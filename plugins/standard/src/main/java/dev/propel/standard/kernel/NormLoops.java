package dev.propel.standard.kernel;

import java.util.Arrays;

/**
 * The channel loops of {@link NormKernels}, shared by the scalar and the vector implementation so that both
 * visit every value in the same order; they differ only in the row primitives (the {@code spatial} values of
 * one sample and channel), which the vector implementation computes a vector at a time with the same float
 * operations.
 */
abstract sealed class NormLoops implements NormKernels permits ScalarNormKernels, VectorNormKernels {

    /** {@code dst[dstOff + k] += src[srcOff + k]} for k in [0, n). */
    abstract void addRow(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /** {@code d = src[srcOff + k] − mean; dst[dstOff + k] = fma(d, d, dst[dstOff + k])} for k in [0, n). */
    abstract void addSquaredDeviationsRow(float[] src, int srcOff, float mean, float[] dst, int dstOff, int n);

    /** {@code v = (x − mean)·r; xh = v; y = v·gamma + beta} (or {@code y = v} when not {@code affine}) for k in [0, n). */
    abstract void normalizeRow(float[] x, int off, float mean, float r, boolean affine, float gamma, float beta,
                               float[] xh, float[] y, int n);

    /** {@code accDy[k] += dy[off + k]; accDyXh[k] = fma(dy[off + k], xh[off + k], accDyXh[k])}, from accOff, for k in [0, n). */
    abstract void addGradientRows(float[] dy, float[] xh, int off, float[] acc, int accDyOff, int accDyXhOff, int n);

    /** {@code dx = ((m·dy − xh·sumDyXh) − sumDy)·coef} for k in [0, n). */
    abstract void inputGradientRow(float[] dy, float[] xh, int off, float m, float sumDy, float sumDyXh, float coef,
                                   float[] dx, int n);

    /** {@code y[off + k] = x[off + k]·a + b} for k in [0, n). */
    abstract void affineRow(float[] x, int off, float a, float b, float[] y, int n);

    /** {@code d = src[srcOff + k] − mean[mOff + k]; dst[mOff + k] = fma(d, d, dst[mOff + k])} for k in [0, n). */
    abstract void addSquaredDeviationsRow(float[] src, int srcOff, float[] mean, float[] dst, int mOff, int n);

    /**
     * {@code v = (x[off + k] − mean[sOff + k])·r[sOff + k]; xh = v; y = v·gamma + beta} (or {@code y = v} when not
     * {@code affine}) for k in [0, n).
     */
    abstract void normalizeRow(float[] x, int off, float[] mean, float[] r, int sOff, boolean affine, float gamma,
                               float beta, float[] xh, float[] y, int n);

    /** {@code t = g·dy[off + k]; a[sOff + k] += t; b[sOff + k] = fma(t, xh[off + k], b[sOff + k])} for k in [0, n). */
    abstract void addScaledGradientRows(float g, float[] dy, float[] xh, int off, float[] a, float[] b, int sOff, int n);

    /** {@code dx = ((g·dy − a[sOff + k]) − xh·b[sOff + k])·r[sOff + k]} for k in [0, n). */
    abstract void layerInputGradientRow(float g, float[] dy, float[] xh, int off, float[] a, float[] b, float[] r,
                                        int sOff, float[] dx, int n);

    @Override
    public final void batchNormForward(float[] x, int batch, int channels, int spatial, float eps, float[] gamma,
                                       float[] beta, float[] acc, float[] mean, float[] squares, float[] rstd,
                                       float[] xh, float[] y, int channelFrom, int channelTo) {
        float invM = 1f / ((float) batch * spatial);
        int sampleStride = channels * spatial;
        for (int c = channelFrom; c < channelTo; c++) {
            int a = c * spatial;
            Arrays.fill(acc, a, a + spatial, 0f);
            for (int n = 0; n < batch; n++) addRow(x, n * sampleStride + a, acc, a, spatial);
            float mu = sumInOrder(acc, a, spatial) * invM;
            Arrays.fill(acc, a, a + spatial, 0f);
            for (int n = 0; n < batch; n++) addSquaredDeviationsRow(x, n * sampleStride + a, mu, acc, a, spatial);
            float q = sumInOrder(acc, a, spatial);
            float r = 1f / (float) Math.sqrt(Math.fma(q, invM, eps));
            mean[c] = mu;
            squares[c] = q;
            rstd[c] = r;
            boolean affine = gamma != null;
            float g = affine ? gamma[c] : 1f;
            float b = affine ? beta[c] : 0f;
            for (int n = 0; n < batch; n++) normalizeRow(x, n * sampleStride + a, mu, r, affine, g, b, xh, y, spatial);
        }
    }

    @Override
    public final void batchNormBackward(float[] dy, float[] xh, int batch, int channels, int spatial, float[] rstd,
                                        float[] gamma, float[] acc, float[] sumDy, float[] sumDyXh, float[] dx,
                                        int channelFrom, int channelTo) {
        float m = (float) batch * spatial;
        float invM = 1f / m;
        int sampleStride = channels * spatial;
        int dyXhBase = sampleStride;
        for (int c = channelFrom; c < channelTo; c++) {
            int a = c * spatial;
            Arrays.fill(acc, a, a + spatial, 0f);
            Arrays.fill(acc, dyXhBase + a, dyXhBase + a + spatial, 0f);
            for (int n = 0; n < batch; n++) addGradientRows(dy, xh, n * sampleStride + a, acc, a, dyXhBase + a, spatial);
            float s1 = sumInOrder(acc, a, spatial);
            float s2 = sumInOrder(acc, dyXhBase + a, spatial);
            sumDy[c] = s1;
            sumDyXh[c] = s2;
            if (dx == null) continue;
            float coef = rstd[c] * invM;
            if (gamma != null) coef *= gamma[c];
            for (int n = 0; n < batch; n++) inputGradientRow(dy, xh, n * sampleStride + a, m, s1, s2, coef, dx, spatial);
        }
    }

    @Override
    public final void channelAffine(float[] x, int batch, int channels, int spatial, float[] a, float[] b, float[] y,
                                    int channelFrom, int channelTo) {
        int sampleStride = channels * spatial;
        for (int n = 0; n < batch; n++) {
            for (int c = channelFrom; c < channelTo; c++) affineRow(x, n * sampleStride + c * spatial, a[c], b[c], y, spatial);
        }
    }

    @Override
    public final void layerNormForward(float[] x, int features, int inner, float eps, float[] gamma, float[] beta,
                                       float[] mean, float[] rstd, float[] xh, float[] y, int blockFrom, int blockTo) {
        float invD = 1f / features;
        int block = features * inner;
        boolean affine = gamma != null;
        for (int o = blockFrom; o < blockTo; o++) {
            int s = o * inner;
            int base = o * block;
            Arrays.fill(mean, s, s + inner, 0f);
            for (int d = 0; d < features; d++) addRow(x, base + d * inner, mean, s, inner);
            for (int i = s; i < s + inner; i++) mean[i] *= invD;
            Arrays.fill(rstd, s, s + inner, 0f);
            for (int d = 0; d < features; d++) addSquaredDeviationsRow(x, base + d * inner, mean, rstd, s, inner);
            for (int i = s; i < s + inner; i++) rstd[i] = 1f / (float) Math.sqrt(Math.fma(rstd[i], invD, eps));
            for (int d = 0; d < features; d++) {
                normalizeRow(x, base + d * inner, mean, rstd, s, affine, affine ? gamma[d] : 1f, affine ? beta[d] : 0f,
                        xh, y, inner);
            }
        }
    }

    @Override
    public final void layerNormBackward(float[] dy, float[] xh, int features, int inner, float[] gamma, float[] rstd,
                                        float[] meanT, float[] meanTXh, float[] dx, int blockFrom, int blockTo) {
        float invD = 1f / features;
        int block = features * inner;
        for (int o = blockFrom; o < blockTo; o++) {
            int s = o * inner;
            int base = o * block;
            Arrays.fill(meanT, s, s + inner, 0f);
            Arrays.fill(meanTXh, s, s + inner, 0f);
            for (int d = 0; d < features; d++) {
                addScaledGradientRows(gamma == null ? 1f : gamma[d], dy, xh, base + d * inner, meanT, meanTXh, s, inner);
            }
            for (int i = s; i < s + inner; i++) {
                meanT[i] *= invD;
                meanTXh[i] *= invD;
            }
            for (int d = 0; d < features; d++) {
                layerInputGradientRow(gamma == null ? 1f : gamma[d], dy, xh, base + d * inner, meanT, meanTXh, rstd, s, dx,
                        inner);
            }
        }
    }

    /** {@code Σ v[off + k]} for k in [0, n), in order, in plain Java in both implementations. */
    static float sumInOrder(float[] v, int off, int n) {
        float s = 0f;
        for (int k = 0; k < n; k++) s += v[off + k];
        return s;
    }
}
