package dev.propel.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast kernels: JDK Vector API ({@code jdk.incubator.vector}) with {@link FloatVector#SPECIES_PREFERRED}
 * (16 float lanes on AVX-512). Loaded reflectively by {@link KernelsProvider} only when the module is
 * present, because linking this class needs it.
 *
 * <p>The matrix product ({@link VectorGemm}) and the {@linkplain #parallelRanges ranges} of large
 * element-wise tasks (plugins' optimizer updates) are split over {@code threads} threads; everything
 * else runs on the calling thread. No result depends on the number of threads.
 *
 * <p>Agreement with {@link ScalarKernels}: the matrix product, the element-wise arithmetic, the
 * row-wise scaling and bias operations and the ReLU family perform the same
 * float operations in the same order, so they are bitwise equal. Sums and dot products add in a
 * different order (lane-wise partial sums), and transcendental functions are computed in float rather
 * than double, so those agree to float rounding (about 1e-6 relative).
 */
public final class VectorKernels extends PooledKernels {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();

    /**
     * The scalar twin, shared by the vector kernels' scalar paths (short arrays, narrow rows, the dropout
     * draw): where they use it, it performs the vector code's operations in its order, so the same bits.
     */
    static final Kernels SCALAR = new ScalarKernels();

    private final KernelThreadPool pool;

    /** Kernels that split large matrix products over {@code threads} threads (>= 1). */
    public VectorKernels(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("VectorKernels threads must be >= 1, got " + threads
                    + "; pass 1 for single-threaded kernels");
        }
        GemmBlocking.forThisJvm(LANES); // a bad register-budget override fails here, with its message
        this.pool = new KernelThreadPool(threads);
    }

    @Override
    public String name() {
        int threads = pool.threads();
        return "vector(" + LANES + " lanes, " + threads + (threads == 1 ? " thread)" : " threads)");
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    @Override
    public boolean vectorized() {
        return true;
    }

    /** The kernel threads' ids (the caller's excluded), for tests that account for their allocations. */
    long[] workerThreadIds() {
        return pool.workerThreadIds();
    }

    @Override
    void shutdown() {
        pool.close();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        VectorGemm.gemm(pool, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public int packedRightSize(int k, int n) {
        KernelChecks.count("packedRightSize k", k);
        KernelChecks.count("packedRightSize n", n);
        return VectorGemm.packedRightSize(k, n);
    }

    @Override
    public void packRight(boolean transB, int k, int n, float[] b, int bOff, int ldb, float[] packed) {
        VectorGemm.packRight(transB, k, n, b, bOff, ldb, packed);
    }

    @Override
    public void gemmPackedRight(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                float[] packed, float beta, float[] c, int cOff, int ldc) {
        VectorGemm.gemmPackedRight(pool, transA, m, n, k, alpha, a, aOff, lda, packed, beta, c, cOff, ldc);
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void fill(float[] x, int n, float value) {
        java.util.Arrays.fill(x, 0, n, value);
    }

    @Override
    public void add(float[] a, float[] b, float[] out, int n) {
        KernelChecks.count("add", n);
        if (ShortArrays.appliesToSimpleLoop(n)) SCALAR.add(a, b, out, n);
        else ElementwiseSplit.add(this, a, b, out, n);
    }

    @Override
    public void sub(float[] a, float[] b, float[] out, int n) {
        if (ShortArrays.appliesToSimpleLoop(n)) {
            SCALAR.sub(a, b, out, n);
            return;
        }
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, a, i).sub(FloatVector.fromArray(SPECIES, b, i)).intoArray(out, i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector.fromArray(SPECIES, a, i, m).sub(FloatVector.fromArray(SPECIES, b, i, m)).intoArray(out, i, m);
        }
    }

    @Override
    public void mul(float[] a, float[] b, float[] out, int n) {
        if (ShortArrays.appliesToSimpleLoop(n)) {
            SCALAR.mul(a, b, out, n);
            return;
        }
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, a, i).mul(FloatVector.fromArray(SPECIES, b, i)).intoArray(out, i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector.fromArray(SPECIES, a, i, m).mul(FloatVector.fromArray(SPECIES, b, i, m)).intoArray(out, i, m);
        }
    }

    @Override
    public void scale(float alpha, float[] x, float[] out, int n) {
        if (ShortArrays.appliesToSimpleLoop(n)) {
            SCALAR.scale(alpha, x, out, n);
            return;
        }
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, i).mul(alpha).intoArray(out, i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector.fromArray(SPECIES, x, i, m).mul(alpha).intoArray(out, i, m);
        }
    }

    @Override
    public void axpy(float alpha, float[] x, float[] y, int n) {
        if (ShortArrays.appliesToSimpleLoop(n)) {
            SCALAR.axpy(alpha, x, y, n);
            return;
        }
        FloatVector av = FloatVector.broadcast(SPECIES, alpha);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, i).fma(av, FloatVector.fromArray(SPECIES, y, i)).intoArray(y, i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector xv = FloatVector.fromArray(SPECIES, x, i, m);
            xv.fma(av, FloatVector.fromArray(SPECIES, y, i, m)).intoArray(y, i, m);
        }
    }

    @Override
    public void addRowVector(float[] x, int rows, int cols, float[] bias) {
        VectorRows.addRowVector(x, rows, cols, bias);
    }

    @Override
    public void sumRows(float[] x, int rows, int cols, float[] out, boolean accumulate) {
        VectorRows.sumRows(x, rows, cols, out, accumulate);
    }

    @Override
    public void addRowVectorRelu(float[] x, int rows, int cols, float[] bias) {
        VectorRows.addRowVectorRelu(x, rows, cols, bias);
    }

    @Override
    public void reluBackwardSumRows(float[] y, float[] dy, float[] dz, int rows, int cols, float[] biasGradient) {
        VectorRows.reluBackwardSumRows(y, dy, dz, rows, cols, biasGradient);
    }

    @Override
    public void rowSumSquares(float[] x, int rows, int cols, float[] out) {
        VectorRows.rowDots(x, x, out, rows, cols);
    }

    @Override
    public void scaleRows(float[] x, int rows, int cols, float[] factor, float[] out) {
        VectorRows.scaleRows(x, rows, cols, factor, out);
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void relu(float[] x, float[] y, int n) {
        KernelChecks.count("relu", n);
        ElementwiseSplit.relu(this, x, y, n);
    }

    @Override
    public void reluBackward(float[] x, float[] dy, float[] dx, int n) {
        KernelChecks.count("reluBackward", n);
        ElementwiseSplit.reluBackward(this, x, dy, dx, n);
    }

    @Override
    public void leakyRelu(float alpha, float[] x, float[] y, int n) {
        VectorActivations.leakyRelu(alpha, x, y, n);
    }

    @Override
    public void leakyReluBackward(float alpha, float[] x, float[] dy, float[] dx, int n) {
        VectorActivations.leakyReluBackward(alpha, x, dy, dx, n);
    }

    @Override
    public void sigmoid(float[] x, float[] y, int n) {
        VectorActivations.sigmoid(x, y, n);
    }

    @Override
    public void sigmoidBackward(float[] y, float[] dy, float[] dx, int n) {
        VectorActivations.sigmoidBackward(y, dy, dx, n);
    }

    @Override
    public void tanh(float[] x, float[] y, int n) {
        VectorActivations.tanh(x, y, n);
    }

    @Override
    public void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
        VectorActivations.tanhBackward(y, dy, dx, n);
    }

    @Override
    public void gelu(float[] x, float[] y, int n, boolean tanhApproximation) {
        VectorActivations.gelu(x, y, n, tanhApproximation);
    }

    @Override
    public void geluBackward(float[] x, float[] dy, float[] dx, int n, boolean tanhApproximation) {
        VectorActivations.geluBackward(x, dy, dx, n, tanhApproximation);
    }

    // ---------------------------------------------------------------- row-wise

    @Override
    public void softmaxRows(float[] x, float[] y, int rows, int cols) {
        VectorRows.softmaxRows(x, y, rows, cols);
    }

    @Override
    public void softmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols) {
        VectorRows.softmaxBackwardRows(y, dy, dx, rows, cols);
    }

    @Override
    public void logSumExpRows(float[] x, float[] out, int rows, int cols) {
        VectorRows.logSumExpRows(x, out, rows, cols);
    }

    @Override
    public void rowDots(float[] a, float[] b, float[] out, int rows, int cols) {
        VectorRows.rowDots(a, b, out, rows, cols);
    }

    @Override
    public void argmaxRows(float[] x, int rows, int cols, int[] out) {
        VectorRows.argmaxRows(x, rows, cols, out);
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public float sum(float[] x, int n) {
        return VectorReductions.sum(x, n);
    }

    @Override
    public float dot(float[] a, float[] b, int n) {
        return VectorReductions.dot(a, b, n);
    }

    @Override
    public float sumSquares(float[] x, int n) {
        return VectorReductions.dot(x, x, n);
    }

    @Override
    public int firstNonFinite(float[] x, int n) {
        return VectorReductions.firstNonFinite(x, n);
    }

    // ---------------------------------------------------------------- dropout

    /** The scalar loop: the mask must be the same draw sequence as {@link ScalarKernels#dropoutMask}. */
    @Override
    public void dropoutMask(long seed, float p, float[] mask, int n) {
        SCALAR.dropoutMask(seed, p, mask, n);
    }

    // ---------------------------------------------------------------- ranges

    /** One vector-aligned range per thread; see {@link Kernels#parallelRanges}. */
    @Override
    public void parallelRanges(int n, int parallelMin, RangeTask task) {
        KernelChecks.count("parallelRanges", n);
        int threads = pool.threadsFree();
        if (threads == 1 || n < parallelMin) {
            task.run(0, n);
            return;
        }
        int share = ((n + threads - 1) / threads + LANES - 1) / LANES * LANES;
        RangeSplit.run(pool, threads, n, share, task);
    }

    /** One range of {@code ⌈n / threads⌉} items per thread; see {@link Kernels#parallelItems}. */
    @Override
    public void parallelItems(int n, RangeTask task) {
        KernelChecks.count("parallelItems", n);
        int threads = Math.min(pool.threadsFree(), n);
        if (threads <= 1) {
            task.run(0, n);
            return;
        }
        RangeSplit.run(pool, threads, n, (n + threads - 1) / threads, task);
    }

    // ---------------------------------------------------------------- primitives

    @Override
    public void unary(UnaryOp op, float[] x, int xOff, float[] y, int yOff, int n) {
        KernelChecks.elementwise(x, xOff, y, yOff, n);
        VectorPrimitives.unary(op, x, xOff, y, yOff, n);
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        KernelChecks.binary(a, aOff, b, bOff, out, oOff, n);
        VectorPrimitives.binary(op, a, aOff, b, bOff, out, oOff, n);
    }

    @Override
    public void broadcast(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff,
                          int outer, int mid, int inner) {
        KernelChecks.broadcast(a, aOff, b, bOff, out, oOff, outer, mid, inner);
        VectorPrimitives.broadcast(op, a, aOff, b, bOff, out, oOff, outer, mid, inner);
    }

    @Override
    public void affine(float alpha, float[] x, int xOff, float beta, float[] y, int yOff, int n) {
        KernelChecks.elementwise(x, xOff, y, yOff, n);
        VectorPrimitives.affine(alpha, x, xOff, beta, y, yOff, n);
    }

    @Override
    public void reduce(ReduceOp op, float[] x, int xOff, int outer, int mid, int inner, float[] out, int outOff,
                       boolean accumulate) {
        KernelChecks.reduce(x, xOff, outer, mid, inner, out, outOff);
        VectorPrimitives.reduce(op, x, xOff, outer, mid, inner, out, outOff, accumulate);
    }
}
