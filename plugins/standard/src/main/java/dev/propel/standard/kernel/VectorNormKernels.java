package dev.propel.standard.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NormKernels} with the JDK Vector API ({@link FloatVector#SPECIES_PREFERRED}): each row a vector at a
 * time with the scalar twin's operations, then the rest of the row with the scalar twin's own loop (no masked
 * steps), so every result has the scalar kernels' bits.
 */
public final class VectorNormKernels extends NormLoops {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    @Override
    void addRow(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        VectorConvKernels.add(src, srcOff, dst, dstOff, n);
    }

    @Override
    void addSquaredDeviationsRow(float[] src, int srcOff, float mean, float[] dst, int dstOff, int n) {
        int k = 0;
        for (; k <= n - LANES; k += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, src, srcOff + k).sub(mean);
            d.fma(d, FloatVector.fromArray(SPECIES, dst, dstOff + k)).intoArray(dst, dstOff + k);
        }
        ScalarNormKernels.addSquaredDeviationsRow(src, srcOff, mean, dst, dstOff, k, n);
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
        ScalarNormKernels.normalizeRow(x, off, mean, r, affine, gamma, beta, xh, y, k - off, n);
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
        ScalarNormKernels.addGradientRows(dy, xh, off, acc, accDyOff, accDyXhOff, k, n);
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
        ScalarNormKernels.inputGradientRow(dy, xh, off, m, sumDy, sumDyXh, coef, dx, k - off, n);
    }

    @Override
    void affineRow(float[] x, int off, float a, float b, float[] y, int n) {
        int k = off;
        int end = off + n;
        for (; k <= end - LANES; k += LANES) {
            FloatVector.fromArray(SPECIES, x, k).mul(a).add(b).intoArray(y, k);
        }
        ScalarNormKernels.affineRow(x, off, a, b, y, k - off, n);
    }

    @Override
    void addSquaredDeviationsRow(float[] src, int srcOff, float[] mean, float[] dst, int mOff, int n) {
        int k = 0;
        for (; k <= n - LANES; k += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, src, srcOff + k).sub(FloatVector.fromArray(SPECIES, mean, mOff + k));
            d.fma(d, FloatVector.fromArray(SPECIES, dst, mOff + k)).intoArray(dst, mOff + k);
        }
        ScalarNormKernels.addSquaredDeviationsRow(src, srcOff, mean, dst, mOff, k, n);
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
        ScalarNormKernels.normalizeRow(x, off, mean, r, sOff, affine, gamma, beta, xh, y, k, n);
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
        ScalarNormKernels.addScaledGradientRows(g, dy, xh, off, a, b, sOff, k, n);
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
        ScalarNormKernels.layerInputGradientRow(g, dy, xh, off, a, b, r, sOff, dx, k, n);
    }
}
