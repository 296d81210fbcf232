package dev.propel.kernel;

/**
 * The plain-Java definitions of the primitive kernels ({@link Kernels#unary}, {@link Kernels#binary},
 * {@link Kernels#broadcast}, {@link Kernels#reduce}, …): what {@link ScalarKernels} runs, what the
 * vector kernels fall back to for shapes they do not vectorise, and the reference tests compare them
 * with. Arguments are checked by the caller ({@link Kernels}' default methods do it once).
 */
final class ScalarPrimitives {
    private ScalarPrimitives() {
    }

    static void unary(UnaryOp op, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = op.apply(x[xOff + i]);
    }

    static void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = op.apply(a[aOff + i], b[bOff + i]);
    }

    static void broadcast(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff,
                          int outer, int mid, int inner) {
        for (int o = 0; o < outer; o++) {
            for (int m = 0; m < mid; m++) {
                float bm = b[bOff + m];
                int base = (o * mid + m) * inner;
                for (int i = 0; i < inner; i++) out[oOff + base + i] = op.apply(a[aOff + base + i], bm);
            }
        }
    }

    static void affine(float alpha, float[] x, int xOff, float beta, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], beta);
    }

    /** Folds along {@code mid} in index order, so vector forms that fold whole {@code inner} rows give the same bits. */
    static void reduce(ReduceOp op, float[] x, int xOff, int outer, int mid, int inner, float[] out, int outOff,
                       boolean accumulate) {
        reduceColumns(op, x, xOff, outer, mid, inner, 0, inner, out, outOff, accumulate);
    }

    /** {@link #reduce} for the columns {@code [from, to)} of {@code inner} only (the vector form's tail). */
    static void reduceColumns(ReduceOp op, float[] x, int xOff, int outer, int mid, int inner, int from, int to,
                              float[] out, int outOff, boolean accumulate) {
        for (int o = 0; o < outer; o++) {
            for (int i = from; i < to; i++) {
                float acc = op.identity();
                for (int m = 0; m < mid; m++) acc = op.fold(acc, x[xOff + (o * mid + m) * inner + i]);
                int at = outOff + o * inner + i;
                out[at] = accumulate ? combine(op, out[at], acc) : acc;
            }
        }
    }

    static float combine(ReduceOp op, float previous, float acc) {
        return switch (op) {
            case SUM, SUM_SQUARES -> previous + acc;
            case MAX -> Math.max(previous, acc);
            case MIN -> Math.min(previous, acc);
        };
    }
}
