package dev.propel.standard.kernel;

/** Plain-Java {@link ConvKernels}: the reference the vector ones are tested against, and the fallback. */
public final class ScalarConvKernels extends ConvLoops {

    @Override
    void addRow(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int k = 0; k < n; k++) dst[dstOff + k] += src[srcOff + k];
    }

    @Override
    void fmaRow(float w, float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int k = 0; k < n; k++) dst[dstOff + k] = Math.fma(w, src[srcOff + k], dst[dstOff + k]);
    }

    @Override
    void copyAddRow(float[] src, int srcOff, float[] dst, int dstOff, int n, float add) {
        for (int k = 0; k < n; k++) dst[dstOff + k] = src[srcOff + k] + add;
    }

    @Override
    float dotRow(float[] a, int aOff, float[] b, int bOff, int n) {
        float sum = 0f;
        for (int k = 0; k < n; k++) sum = Math.fma(a[aOff + k], b[bOff + k], sum);
        return sum;
    }

    @Override
    float sumRow(float[] a, int off, int n) {
        float sum = 0f;
        for (int k = 0; k < n; k++) sum += a[off + k];
        return sum;
    }

    @Override
    void windowSums(float[] src, int srcOff, int rowStep, int colStep, float[] w, int wOff, int kh, int kw, float init,
                    float[] out, int outOff, int n) {
        windowSumsPlain(src, srcOff, rowStep, colStep, w, wOff, kh, kw, init, out, outOff, 0, n);
    }
}
