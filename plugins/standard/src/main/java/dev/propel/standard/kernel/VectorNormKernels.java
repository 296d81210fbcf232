package dev.propel.standard.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NormKernels} with the JDK Vector API ({@link FloatVector#SPECIES_PREFERRED}): each row a vector at a
 * time with the scalar twin's operations, then the rest of the row in plain Java (no masked steps), so every
 * result has the scalar kernels' bits.
 */
public final class VectorNormKernels extends NormLoops {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    @Override
    void addRow(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        int k = 0;
        for (; k <= n - LANES; k += LANES) {
            FloatVector.fromArray(SPECIES, dst, dstOff + k).add(FloatVector.fromArray(SPECIES, src, srcOff + k))
                    .intoArray(dst, dstOff + k);
        }
        for (; k < n; k++) dst[dstOff + k] += src[srcOff + k];
    }

    @Override
    void addSquaredDeviationsRow(float[] src, int srcOff, float mean, float[] dst, int dstOff, int n) {
        int k = 0;
        for (; k <= n - LANES; k += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, src, srcOff + k).sub(mean);
            d.fma(d, FloatVector.fromArray(SPECIES, dst, dstOff + k)).intoArray(dst, dstOff + k);
        }
        for (; k < n; k++) {
            float d = src[srcOff + k] - mean;
            dst[dstOff + k] = Math.fma(d, d, dst[dstOff + k]);
        }
    }

    @Override
    void normalizeRow(float[] x, int off, float mean, float r, boolean affine, float gamma, float beta, float[] xh,
                      float[] y, int n) {
        int k = off;
        int end = off + n;
        for (; k <= end - LANES; k += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, k).sub(mean).mul(r);
            v.intoArray(xh, k);
            if (affine) {
                v.mul(gamma).add(beta).intoArray(y, k);
            } else {
                v.intoArray(y, k);
            }
        }
        for (; k < end; k++) {
            float v = (x[k] - mean) * r;
            xh[k] = v;
            y[k] = affine ? v * gamma + beta : v;
        }
    }

    @Override
    void addGradientRows(float[] dy, float[] xh, int off, float[] acc, int accDyOff, int accDyXhOff, int n) {
        int k = 0;
        for (; k <= n - LANES; k += LANES) {
            FloatVector g = FloatVector.fromArray(SPECIES, dy, off + k);
            FloatVector.fromArray(SPECIES, acc, accDyOff + k).add(g).intoArray(acc, accDyOff + k);
            g.fma(FloatVector.fromArray(SPECIES, xh, off + k), FloatVector.fromArray(SPECIES, acc, accDyXhOff + k))
                    .intoArray(acc, accDyXhOff + k);
        }
        for (; k < n; k++) {
            float g = dy[off + k];
            acc[accDyOff + k] += g;
            acc[accDyXhOff + k] = Math.fma(g, xh[off + k], acc[accDyXhOff + k]);
        }
    }

    @Override
    void inputGradientRow(float[] dy, float[] xh, int off, float m, float sumDy, float sumDyXh, float coef, float[] dx,
                          int n) {
        int k = off;
        int end = off + n;
        for (; k <= end - LANES; k += LANES) {
            FloatVector.fromArray(SPECIES, dy, k).mul(m).sub(FloatVector.fromArray(SPECIES, xh, k).mul(sumDyXh))
                    .sub(sumDy).mul(coef).intoArray(dx, k);
        }
        for (; k < end; k++) dx[k] = ((m * dy[k] - xh[k] * sumDyXh) - sumDy) * coef;
    }

    @Override
    void affineRow(float[] x, int off, float a, float b, float[] y, int n) {
        int k = off;
        int end = off + n;
        for (; k <= end - LANES; k += LANES) {
            FloatVector.fromArray(SPECIES, x, k).mul(a).add(b).intoArray(y, k);
        }
        for (; k < end; k++) y[k] = x[k] * a + b;
    }

    @Override
    void addSquaredDeviationsRow(float[] src, int srcOff, float[] mean, float[] dst, int mOff, int n) {
        int k = 0;
        for (; k <= n - LANES; k += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, src, srcOff + k).sub(FloatVector.fromArray(SPECIES, mean, mOff + k));
            d.fma(d, FloatVector.fromArray(SPECIES, dst, mOff + k)).intoArray(dst, mOff + k);
        }
        for (; k < n; k++) {
            float d = src[srcOff + k] - mean[mOff + k];
            dst[mOff + k] = Math.fma(d, d, dst[mOff + k]);
        }
    }

    @Override
    void normalizeRow(float[] x, int off, float[] mean, float[] r, int sOff, boolean affine, float gamma, float beta,
                      float[] xh, float[] y, int n) {
        int k = 0;
        for (; k <= n - LANES; k += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, off + k).sub(FloatVector.fromArray(SPECIES, mean, sOff + k))
                    .mul(FloatVector.fromArray(SPECIES, r, sOff + k));
            v.intoArray(xh, off + k);
            if (affine) {
                v.mul(gamma).add(beta).intoArray(y, off + k);
            } else {
                v.intoArray(y, off + k);
            }
        }
        for (; k < n; k++) {
            float v = (x[off + k] - mean[sOff + k]) * r[sOff + k];
            xh[off + k] = v;
            y[off + k] = affine ? v * gamma + beta : v;
        }
    }

    @Override
    void addScaledGradientRows(float g, float[] dy, float[] xh, int off, float[] a, float[] b, int sOff, int n) {
        int k = 0;
        for (; k <= n - LANES; k += LANES) {
            FloatVector t = FloatVector.fromArray(SPECIES, dy, off + k).mul(g);
            FloatVector.fromArray(SPECIES, a, sOff + k).add(t).intoArray(a, sOff + k);
            t.fma(FloatVector.fromArray(SPECIES, xh, off + k), FloatVector.fromArray(SPECIES, b, sOff + k))
                    .intoArray(b, sOff + k);
        }
        for (; k < n; k++) {
            float t = g * dy[off + k];
            a[sOff + k] += t;
            b[sOff + k] = Math.fma(t, xh[off + k], b[sOff + k]);
        }
    }

    @Override
    void layerInputGradientRow(float g, float[] dy, float[] xh, int off, float[] a, float[] b, float[] r, int sOff,
                               float[] dx, int n) {
        int k = 0;
        for (; k <= n - LANES; k += LANES) {
            FloatVector.fromArray(SPECIES, dy, off + k).mul(g).sub(FloatVector.fromArray(SPECIES, a, sOff + k))
                    .sub(FloatVector.fromArray(SPECIES, xh, off + k).mul(FloatVector.fromArray(SPECIES, b, sOff + k)))
                    .mul(FloatVector.fromArray(SPECIES, r, sOff + k)).intoArray(dx, off + k);
        }
        for (; k < n; k++) {
            dx[off + k] = ((g * dy[off + k] - a[sOff + k]) - xh[off + k] * b[sOff + k]) * r[sOff + k];
        }
    }
}
