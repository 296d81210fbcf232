package dev.propel.standard.kernel;

/**
 * Plain-Java {@link NormKernels}: the reference the vector ones are tested against, and the fallback. Each row
 * operation is a static loop over the elements {@code [from, n)} of the row, so that the vector kernels finish
 * their rows (the part after the last whole vector) with the very same code.
 */
public final class ScalarNormKernels extends NormLoops {

    @Override
    void addRow(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        addRow(src, srcOff, dst, dstOff, 0, n);
    }

    static void addRow(float[] src, int srcOff, float[] dst, int dstOff, int from, int n) {
        for (int k = from; k < n; k++) dst[dstOff + k] += src[srcOff + k];
    }

    @Override
    void addSquaredDeviationsRow(float[] src, int srcOff, float mean, float[] dst, int dstOff, int n) {
        addSquaredDeviationsRow(src, srcOff, mean, dst, dstOff, 0, n);
    }

    static void addSquaredDeviationsRow(float[] src, int srcOff, float mean, float[] dst, int dstOff, int from, int n) {
        for (int k = from; k < n; k++) {
            float d = src[srcOff + k] - mean;
            dst[dstOff + k] = Math.fma(d, d, dst[dstOff + k]);
        }
    }

    @Override
    void normalizeRow(float[] x, int off, float mean, float r, boolean affine, float gamma, float beta, float[] xh,
                      float[] y, int n) {
        normalizeRow(x, off, mean, r, affine, gamma, beta, xh, y, 0, n);
    }

    static void normalizeRow(float[] x, int off, float mean, float r, boolean affine, float gamma, float beta,
                             float[] xh, float[] y, int from, int n) {
        for (int k = off + from; k < off + n; k++) {
            float v = (x[k] - mean) * r;
            xh[k] = v;
            y[k] = affine ? v * gamma + beta : v;
        }
    }

    @Override
    void addGradientRows(float[] dy, float[] xh, int off, float[] acc, int accDyOff, int accDyXhOff, int n) {
        addGradientRows(dy, xh, off, acc, accDyOff, accDyXhOff, 0, n);
    }

    static void addGradientRows(float[] dy, float[] xh, int off, float[] acc, int accDyOff, int accDyXhOff, int from,
                                int n) {
        for (int k = from; k < n; k++) {
            float g = dy[off + k];
            acc[accDyOff + k] += g;
            acc[accDyXhOff + k] = Math.fma(g, xh[off + k], acc[accDyXhOff + k]);
        }
    }

    @Override
    void inputGradientRow(float[] dy, float[] xh, int off, float m, float sumDy, float sumDyXh, float coef, float[] dx,
                          int n) {
        inputGradientRow(dy, xh, off, m, sumDy, sumDyXh, coef, dx, 0, n);
    }

    static void inputGradientRow(float[] dy, float[] xh, int off, float m, float sumDy, float sumDyXh, float coef,
                                 float[] dx, int from, int n) {
        for (int k = off + from; k < off + n; k++) dx[k] = ((m * dy[k] - xh[k] * sumDyXh) - sumDy) * coef;
    }

    @Override
    void affineRow(float[] x, int off, float a, float b, float[] y, int n) {
        affineRow(x, off, a, b, y, 0, n);
    }

    static void affineRow(float[] x, int off, float a, float b, float[] y, int from, int n) {
        for (int k = off + from; k < off + n; k++) y[k] = x[k] * a + b;
    }

    @Override
    void addSquaredDeviationsRow(float[] src, int srcOff, float[] mean, float[] dst, int mOff, int n) {
        addSquaredDeviationsRow(src, srcOff, mean, dst, mOff, 0, n);
    }

    static void addSquaredDeviationsRow(float[] src, int srcOff, float[] mean, float[] dst, int mOff, int from, int n) {
        for (int k = from; k < n; k++) {
            float d = src[srcOff + k] - mean[mOff + k];
            dst[mOff + k] = Math.fma(d, d, dst[mOff + k]);
        }
    }

    @Override
    void normalizeRow(float[] x, int off, float[] mean, float[] r, int sOff, boolean affine, float gamma, float beta,
                      float[] xh, float[] y, int n) {
        normalizeRow(x, off, mean, r, sOff, affine, gamma, beta, xh, y, 0, n);
    }

    static void normalizeRow(float[] x, int off, float[] mean, float[] r, int sOff, boolean affine, float gamma,
                             float beta, float[] xh, float[] y, int from, int n) {
        for (int k = from; k < n; k++) {
            float v = (x[off + k] - mean[sOff + k]) * r[sOff + k];
            xh[off + k] = v;
            y[off + k] = affine ? v * gamma + beta : v;
        }
    }

    @Override
    void addScaledGradientRows(float g, float[] dy, float[] xh, int off, float[] a, float[] b, int sOff, int n) {
        addScaledGradientRows(g, dy, xh, off, a, b, sOff, 0, n);
    }

    static void addScaledGradientRows(float g, float[] dy, float[] xh, int off, float[] a, float[] b, int sOff, int from,
                                      int n) {
        for (int k = from; k < n; k++) {
            float t = g * dy[off + k];
            a[sOff + k] += t;
            b[sOff + k] = Math.fma(t, xh[off + k], b[sOff + k]);
        }
    }

    @Override
    void layerInputGradientRow(float g, float[] dy, float[] xh, int off, float[] a, float[] b, float[] r, int sOff,
                               float[] dx, int n) {
        layerInputGradientRow(g, dy, xh, off, a, b, r, sOff, dx, 0, n);
    }

    static void layerInputGradientRow(float g, float[] dy, float[] xh, int off, float[] a, float[] b, float[] r, int sOff,
                                      float[] dx, int from, int n) {
        for (int k = from; k < n; k++) {
            dx[off + k] = ((g * dy[off + k] - a[sOff + k]) - xh[off + k] * b[sOff + k]) * r[sOff + k];
        }
    }
}
