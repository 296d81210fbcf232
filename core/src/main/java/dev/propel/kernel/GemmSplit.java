package dev.propel.kernel;

import java.util.function.IntConsumer;

/**
 * A matrix product split over the kernel threads, as the task each thread runs its part of. One
 * object per calling thread (kept with its packing buffers) is filled in for each split product and
 * cleared afterwards, so splitting a product allocates nothing: no capturing lambda per call.
 *
 * <p>Part {@code q} computes the rows {@code [q·span, (q+1)·span)} of C ({@link #byRows}), its
 * columns ({@link #byColumns}), or its columns in the dot-product order of {@link GemmDot}
 * ({@link #byDotColumns}); the parts never share an element of C.
 */
final class GemmSplit implements IntConsumer {

    private enum Split { ROWS, COLUMNS, DOT_COLUMNS }

    private Split split;
    private int span;
    /** B is a right operand packed once ({@link VectorGemm#packRight}); only with {@link Split#ROWS}. */
    private boolean packedRight;
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float alpha;
    private float[] a;
    private int aOff;
    private int lda;
    private float[] b;
    private int bOff;
    private int ldb;
    private float beta;
    private float[] c;
    private int cOff;
    private int ldc;

    /** Parts of {@code rows} rows of C (a multiple of the register block's rows). */
    GemmSplit byRows(int rows) {
        split = Split.ROWS;
        span = rows;
        packedRight = false;
        return this;
    }

    /** Parts of {@code rows} rows of C, B packed once by {@link VectorGemm#packRight}. */
    GemmSplit byRowsOfPackedRight(int rows) {
        byRows(rows);
        packedRight = true;
        return this;
    }

    /** Parts of {@code cols} columns of C (a multiple of the vector length). */
    GemmSplit byColumns(int cols) {
        split = Split.COLUMNS;
        span = cols;
        packedRight = false;
        return this;
    }

    /** Parts of {@code cols} columns of C, each computed in the {@link GemmDot} order. */
    GemmSplit byDotColumns(int cols) {
        split = Split.DOT_COLUMNS;
        span = cols;
        packedRight = false;
        return this;
    }

    /** The product; arguments are already checked. */
    GemmSplit product(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.a = a;
        this.aOff = aOff;
        this.lda = lda;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.beta = beta;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
        return this;
    }

    /** The number of parts that cover C. */
    int parts() {
        return split == Split.ROWS ? (m + span - 1) / span : (n + span - 1) / span;
    }

    /** Drops the references to the caller's arrays once the product is done. */
    void clear() {
        a = null;
        b = null;
        c = null;
    }

    @Override
    public void accept(int part) {
        VectorGemm.Buffers buffers = VectorGemm.buffers();
        switch (split) {
            case ROWS -> {
                int r0 = part * span;
                int rows = Math.min(span, m - r0);
                int aPart = transA ? aOff + r0 : aOff + r0 * lda;
                VectorGemm.serial(buffers, transA, transB, packedRight, rows, n, k, alpha, a, aPart, lda, b, bOff, ldb,
                        beta, c, cOff + r0 * ldc, ldc);
            }
            case COLUMNS -> {
                int c0 = part * span;
                int cols = Math.min(span, n - c0);
                int bPart = transB ? bOff + c0 * ldb : bOff + c0;
                VectorGemm.serial(buffers, transA, transB, false, m, cols, k, alpha, a, aOff, lda, b, bPart, ldb,
                        beta, c, cOff + c0, ldc);
            }
            case DOT_COLUMNS -> {
                int j0 = part * span;
                VectorGemm.dotColumns(buffers, m, j0, Math.min(n, j0 + span), k, alpha, a, aOff, lda, b, bOff, ldb,
                        beta, c, cOff, ldc);
            }
        }
    }
}
