package dev.propel.kernel;

import java.util.SplittableRandom;

/**
 * Plain-Java kernels: the reference the Vector API kernels are tested against, and the fallback
 * when {@code jdk.incubator.vector} is not available. Single-threaded, written for clarity.
 */
public final class ScalarKernels implements Kernels {

    static final double SQRT_HALF = Math.sqrt(0.5);
    static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);
    static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    static final double GELU_CUBIC = 0.044715;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        GemmArguments.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (GemmDot.applies(transA, transB, m, k)) {
            GemmDot.scalar(m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[cRow + j] = beta == 0f ? 0f : beta * c[cRow + j];
            }
            for (int p = 0; p < k; p++) {
                float av = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] = Math.fma(av, b[bOff + j * ldb + p], c[cRow + j]);
                    }
                } else {
                    int bRow = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] = Math.fma(av, b[bRow + j], c[cRow + j]);
                    }
                }
            }
        }
    }

    @Override
    public void fill(float[] x, int n, float value) {
        java.util.Arrays.fill(x, 0, n, value);
    }

    @Override
    public void add(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] + b[i];
    }

    @Override
    public void sub(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] - b[i];
    }

    @Override
    public void mul(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] * b[i];
    }

    @Override
    public void scale(float alpha, float[] x, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = alpha * x[i];
    }

    @Override
    public void axpy(float alpha, float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = Math.fma(alpha, x[i], y[i]);
    }

    @Override
    public void addRowVector(float[] x, int rows, int cols, float[] bias) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) x[o + c] += bias[c];
        }
    }

    @Override
    public void sumRows(float[] x, int rows, int cols, float[] out, boolean accumulate) {
        if (!accumulate) java.util.Arrays.fill(out, 0, cols, 0f);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) out[c] += x[o + c];
        }
    }

    @Override
    public void addRowVectorRelu(float[] x, int rows, int cols, float[] bias) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) {
                x[o + c] = Math.max(bias == null ? x[o + c] : x[o + c] + bias[c], 0f);
            }
        }
    }

    @Override
    public void reluBackwardSumRows(float[] y, float[] dy, float[] dz, int rows, int cols, float[] biasGradient) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) {
                float g = y[o + c] > 0f ? dy[o + c] : 0f;
                dz[o + c] = g;
                if (biasGradient != null) biasGradient[c] += g;
            }
        }
    }

    @Override
    public void rowSumSquares(float[] x, int rows, int cols, float[] out) {
        for (int r = 0; r < rows; r++) {
            float s = 0f;
            int o = r * cols;
            for (int c = 0; c < cols; c++) s = Math.fma(x[o + c], x[o + c], s);
            out[r] = s;
        }
    }

    @Override
    public void scaleRows(float[] x, int rows, int cols, float[] factor, float[] out) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float f = factor[r];
            for (int c = 0; c < cols; c++) out[o + c] = x[o + c] * f;
        }
    }

    @Override
    public void relu(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = Math.max(x[i], 0f);
    }

    @Override
    public void reluBackward(float[] x, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) dx[i] = x[i] > 0f ? dy[i] : 0f;
    }

    @Override
    public void leakyRelu(float alpha, float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = x[i] > 0f ? x[i] : alpha * x[i];
    }

    @Override
    public void leakyReluBackward(float alpha, float[] x, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) dx[i] = x[i] > 0f ? dy[i] : alpha * dy[i];
    }

    @Override
    public void sigmoid(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
    }

    @Override
    public void sigmoidBackward(float[] y, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1f - y[i]);
    }

    @Override
    public void tanh(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = (float) Math.tanh(x[i]);
    }

    @Override
    public void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) dx[i] = dy[i] * (1f - y[i] * y[i]);
    }

    @Override
    public void gelu(float[] x, float[] y, int n, boolean tanhApproximation) {
        for (int i = 0; i < n; i++) {
            double v = x[i];
            y[i] = (float) (tanhApproximation
                    ? 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v)))
                    : 0.5 * v * (1 + Erf.erf(v * SQRT_HALF)));
        }
    }

    @Override
    public void geluBackward(float[] x, float[] dy, float[] dx, int n, boolean tanhApproximation) {
        for (int i = 0; i < n; i++) {
            double v = x[i];
            double d;
            if (tanhApproximation) {
                double u = SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v);
                double t = Math.tanh(u);
                d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * v * v);
            } else {
                d = 0.5 * (1 + Erf.erf(v * SQRT_HALF)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
            }
            dx[i] = (float) (dy[i] * d);
        }
    }

    @Override
    public void softmaxRows(float[] x, float[] y, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) max = Math.max(max, x[o + c]);
            float sum = 0f;
            for (int c = 0; c < cols; c++) {
                float e = (float) Math.exp(x[o + c] - max);
                y[o + c] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int c = 0; c < cols; c++) y[o + c] *= inv;
        }
    }

    @Override
    public void softmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float s = 0f;
            for (int c = 0; c < cols; c++) s += dy[o + c] * y[o + c];
            for (int c = 0; c < cols; c++) dx[o + c] = y[o + c] * (dy[o + c] - s);
        }
    }

    @Override
    public void logSumExpRows(float[] x, float[] out, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) max = Math.max(max, x[o + c]);
            if (max == Float.NEGATIVE_INFINITY) {
                out[r] = max;
                continue;
            }
            float sum = 0f;
            for (int c = 0; c < cols; c++) sum += (float) Math.exp(x[o + c] - max);
            out[r] = max + (float) Math.log(sum);
        }
    }

    @Override
    public void rowDots(float[] a, float[] b, float[] out, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            float s = 0f;
            int o = r * cols;
            for (int c = 0; c < cols; c++) s = Math.fma(a[o + c], b[o + c], s);
            out[r] = s;
        }
    }

    @Override
    public void argmaxRows(float[] x, int rows, int cols, int[] out) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int best = 0;
            for (int c = 1; c < cols; c++) {
                if (x[o + c] > x[o + best]) best = c;
            }
            out[r] = best;
        }
    }

    @Override
    public float sum(float[] x, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += x[i];
        return s;
    }

    @Override
    public float dot(float[] a, float[] b, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s = Math.fma(a[i], b[i], s);
        return s;
    }

    @Override
    public float sumSquares(float[] x, int n) {
        return dot(x, x, n);
    }

    @Override
    public int firstNonFinite(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(x[i])) return i;
        }
        return -1;
    }

    @Override
    public void dropoutMask(long seed, float p, float[] mask, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        float keep = p >= 1f ? 0f : 1f / (1f - p);
        for (int i = 0; i < n; i++) mask[i] = rng.nextFloat() < p ? 0f : keep;
    }
}
