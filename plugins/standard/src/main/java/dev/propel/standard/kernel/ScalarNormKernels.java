package dev.propel.standard.kernel;

/** Plain-Java {@link NormKernels}: the reference the vector ones are tested against, and the fallback. */
public final class ScalarNormKernels extends NormLoops {

    @Override
    void addRow(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int k = 0; k < n; k++) dst[dstOff + k] += src[srcOff + k];
    }

    @Override
    void addSquaredDeviationsRow(float[] src, int srcOff, float mean, float[] dst, int dstOff, int n) {
        for (int k = 0; k < n; k++) {
            float d = src[srcOff + k] - mean;
            dst[dstOff + k] = Math.fma(d, d, dst[dstOff + k]);
        }
    }

    @Override
    void normalizeRow(float[] x, int off, float mean, float r, boolean affine, float gamma, float beta, float[] xh,
                      float[] y, int n) {
        for (int k = off; k < off + n; k++) {
            float v = (x[k] - mean) * r;
            xh[k] = v;
            y[k] = affine ? v * gamma + beta : v;
        }
    }

    @Override
    void addGradientRows(float[] dy, float[] xh, int off, float[] acc, int accDyOff, int accDyXhOff, int n) {
        for (int k = 0; k < n; k++) {
            float g = dy[off + k];
            acc[accDyOff + k] += g;
            acc[accDyXhOff + k] = Math.fma(g, xh[off + k], acc[accDyXhOff + k]);
        }
    }

    @Override
    void inputGradientRow(float[] dy, float[] xh, int off, float m, float sumDy, float sumDyXh, float coef, float[] dx,
                          int n) {
        for (int k = off; k < off + n; k++) dx[k] = ((m * dy[k] - xh[k] * sumDyXh) - sumDy) * coef;
    }

    @Override
    void affineRow(float[] x, int off, float a, float b, float[] y, int n) {
        for (int k = off; k < off + n; k++) y[k] = x[k] * a + b;
    }

    @Override
    void addSquaredDeviationsRow(float[] src, int srcOff, float[] mean, float[] dst, int mOff, int n) {
        for (int k = 0; k < n; k++) {
            float d = src[srcOff + k] - mean[mOff + k];
            dst[mOff + k] = Math.fma(d, d, dst[mOff + k]);
        }
    }

    @Override
    void normalizeRow(float[] x, int off, float[] mean, float[] r, int sOff, boolean affine, float gamma, float beta,
                      float[] xh, float[] y, int n) {
        for (int k = 0; k < n; k++) {
            float v = (x[off + k] - mean[sOff + k]) * r[sOff + k];
            xh[off + k] = v;
            y[off + k] = affine ? v * gamma + beta : v;
        }
    }

    @Override
    void addScaledGradientRows(float g, float[] dy, float[] xh, int off, float[] a, float[] b, int sOff, int n) {
        for (int k = 0; k < n; k++) {
            float t = g * dy[off + k];
            a[sOff + k] += t;
            b[sOff + k] = Math.fma(t, xh[off + k], b[sOff + k]);
        }
    }

    @Override
    void layerInputGradientRow(float g, float[] dy, float[] xh, int off, float[] a, float[] b, float[] r, int sOff,
                               float[] dx, int n) {
        for (int k = 0; k < n; k++) {
            dx[off + k] = ((g * dy[off + k] - a[sOff + k]) - xh[off + k] * b[sOff + k]) * r[sOff + k];
        }
    }
}
