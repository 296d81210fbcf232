package dev.propel.kernel;

/**
 * The numeric loops of Propel. Layers, losses and optimizers call these; they never loop over floats
 * themselves (design.md rule 4).
 *
 * <p>Two implementations exist: {@code VectorKernels} (JDK Vector API, the fast path) and
 * {@link ScalarKernels} (plain Java, the reference in tests and the fallback when
 * {@code jdk.incubator.vector} is not available). Obtain one with {@link KernelsProvider}.
 *
 * <p>Conventions: matrices are row-major; {@code n} counts elements from index 0 unless an offset is
 * given; input and output arrays may be the same array for element-wise operations ("in place").
 * Results never depend on the number of threads: work is split so that every output element is
 * computed by the same sequence of operations whatever the split.
 */
public interface Kernels extends AutoCloseable {

    /** A short name for logs and benchmarks, e.g. {@code "vector(16 lanes, 2 threads)"}. */
    String name();

    /** Number of threads the kernels may use. */
    int threads();

    /** True for the Vector API kernels: plugin kernel families then use their vector implementation too. */
    default boolean vectorized() {
        return false;
    }

    // ---------------------------------------------------------------- matrix products

    /**
     * General matrix multiply: {@code C = alpha · op(A) · op(B) + beta · C}, where op(A) is m×k and
     * op(B) is k×n, C is m×n. {@code transA} means A is stored k×m (so op(A) = Aᵀ); {@code transB}
     * means B is stored n×k. Leading dimensions are the row strides of the stored matrices. When
     * {@code beta == 0}, C is overwritten and its old contents (even NaN) are ignored.
     *
     * <p>Order of operations (the same in every implementation, so results are bitwise equal): each
     * element is {@code beta·C} followed by the fused multiply-adds {@code fma(alpha·a_ip, b_pj, c)} for
     * p = 0, 1, …, k−1. Exception: a product with at most four rows, B transposed and A not (a
     * dense layer's forward pass on a tiny batch) sums each element as a dot product with 16
     * interleaved partial sums, which needs no repacking of B; see {@code GemmDot}.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    // ---------------------------------------------------------------- element-wise

    /** {@code x[i] = value}. */
    void fill(float[] x, int n, float value);

    /** {@code out[i] = a[i] + b[i]}. */
    void add(float[] a, float[] b, float[] out, int n);

    /** {@code out[i] = a[i] - b[i]}. */
    void sub(float[] a, float[] b, float[] out, int n);

    /** {@code out[i] = a[i] * b[i]}. */
    void mul(float[] a, float[] b, float[] out, int n);

    /** {@code out[i] = alpha * x[i]}. */
    void scale(float alpha, float[] x, float[] out, int n);

    /** {@code y[i] += alpha * x[i]}. */
    void axpy(float alpha, float[] x, float[] y, int n);

    /** {@code x[r][c] += bias[c]} for a rows×cols matrix (bias add of a dense layer). */
    void addRowVector(float[] x, int rows, int cols, float[] bias);

    /** {@code out[c] (+)= Σ_r x[r][c]} (the bias gradient); accumulates into out when {@code accumulate}. */
    void sumRows(float[] x, int rows, int cols, float[] out, boolean accumulate);

    /** {@code out[r] = Σ_c x[r][c]²} (goodness in Forward-Forward, row norms). */
    void rowSumSquares(float[] x, int rows, int cols, float[] out);

    /** {@code out[r][c] = x[r][c] * factor[r]}. */
    void scaleRows(float[] x, int rows, int cols, float[] factor, float[] out);

    // ---------------------------------------------------------------- fused dense-layer epilogues

    /**
     * Bias and ReLU in one pass over a rows×cols matrix, in place: {@code x[r][c] = max(x[r][c] + bias[c], 0)},
     * or {@code x = max(x, 0)} when {@code bias} is null. Bitwise the same as {@link #addRowVector}
     * followed by {@link #relu}, with one pass over memory instead of two.
     */
    default void addRowVectorRelu(float[] x, int rows, int cols, float[] bias) {
        if (bias != null) {
            addRowVector(x, rows, cols, bias);
        }
        relu(x, x, rows * cols);
    }

    /**
     * ReLU backward from the ReLU's <em>output</em> y, and the bias gradient, in one pass:
     * {@code dz[r][c] = y[r][c] > 0 ? dy[r][c] : 0} (y > 0 exactly where the input was > 0), then
     * {@code biasGradient[c] += Σ_r dz[r][c]} with the rows added in order, when {@code biasGradient}
     * is not null. {@code dz} may be {@code dy}. Bitwise the same as {@link #reluBackward} followed by
     * {@link #sumRows} with {@code accumulate}.
     */
    default void reluBackwardSumRows(float[] y, float[] dy, float[] dz, int rows, int cols, float[] biasGradient) {
        reluBackward(y, dy, dz, rows * cols);
        if (biasGradient != null) {
            sumRows(dz, rows, cols, biasGradient, true);
        }
    }

    // ---------------------------------------------------------------- activations

    /** {@code y = max(x, 0)}. */
    void relu(float[] x, float[] y, int n);

    /** {@code dx = dy · [x > 0]}. */
    void reluBackward(float[] x, float[] dy, float[] dx, int n);

    /** {@code y = x > 0 ? x : alpha·x}. */
    void leakyRelu(float alpha, float[] x, float[] y, int n);

    /** {@code dx = dy · (x > 0 ? 1 : alpha)}. */
    void leakyReluBackward(float alpha, float[] x, float[] dy, float[] dx, int n);

    /** {@code y = 1 / (1 + e^-x)}. */
    void sigmoid(float[] x, float[] y, int n);

    /** From the forward output y: {@code dx = dy · y · (1 − y)}. */
    void sigmoidBackward(float[] y, float[] dy, float[] dx, int n);

    /** {@code y = tanh(x)}. */
    void tanh(float[] x, float[] y, int n);

    /** From the forward output y: {@code dx = dy · (1 − y²)}. */
    void tanhBackward(float[] y, float[] dy, float[] dx, int n);

    /**
     * GELU. Exact form {@code y = x·Φ(x) = ½x(1 + erf(x/√2))}; with {@code tanhApproximation},
     * {@code y = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))} (PyTorch's {@code approximate="tanh"}).
     */
    void gelu(float[] x, float[] y, int n, boolean tanhApproximation);

    /** Derivative of {@link #gelu}: exact {@code dx = dy·(Φ(x) + x·φ(x))}. */
    void geluBackward(float[] x, float[] dy, float[] dx, int n, boolean tanhApproximation);

    // ---------------------------------------------------------------- row-wise

    /** Numerically stable softmax of each row: {@code y[r][c] = e^(x[r][c]−max_r) / Σ e^(x[r][·]−max_r)}. */
    void softmaxRows(float[] x, float[] y, int rows, int cols);

    /** Softmax backward from its output y: {@code dx[r][c] = y[r][c] · (dy[r][c] − Σ_j dy[r][j]·y[r][j])}. */
    void softmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols);

    /** {@code out[r] = log Σ_c e^x[r][c]}, computed stably. */
    void logSumExpRows(float[] x, float[] out, int rows, int cols);

    /** {@code out[r] = Σ_c a[r][c]·b[r][c]}. */
    void rowDots(float[] a, float[] b, float[] out, int rows, int cols);

    /** {@code out[r] = argmax_c x[r][c]} (the first maximum on ties). */
    void argmaxRows(float[] x, int rows, int cols, int[] out);

    // ---------------------------------------------------------------- reductions

    /** {@code Σ_i x[i]} over the first {@code n} elements. */
    float sum(float[] x, int n);

    /** {@code Σ_i a[i]·b[i]} over the first {@code n} elements. */
    float dot(float[] a, float[] b, int n);

    /** {@code Σ_i x[i]²} over the first {@code n} elements (e.g. for a gradient norm). */
    float sumSquares(float[] x, int n);

    /** Index of the first NaN or infinite element, or -1 when all are finite. */
    int firstNonFinite(float[] x, int n);

    // ---------------------------------------------------------------- dropout

    /**
     * Inverted-dropout mask: {@code mask[i] = u_i < p ? 0 : 1/(1−p)} with u_i uniform in [0,1) drawn
     * from {@code java.util.SplittableRandom(seed)} in index order, so both implementations agree.
     */
    void dropoutMask(long seed, float p, float[] mask, int n);

    // ---------------------------------------------------------------- primitives (SPI 2)
    //
    // The small stable set that layers, losses and optimizers of any plugin compose: element-wise
    // functions of one and two arrays, broadcasting along an axis, reductions along an axis, copies of
    // strided blocks, gathers and scatter-adds, batched matrix products. Every array argument comes with
    // its offset, so a time step of [batch, time, features], a gate block of [B, 4H] or a channel of NCHW
    // data is addressed in place (see Tensor's views). The defaults are the scalar definitions
    // (ScalarPrimitives); the vector kernels override the hot ones and are tested against them.

    /** {@code y[yOff+i] = op(x[xOff+i])} for i &lt; n; {@code y} may be {@code x}. */
    default void unary(UnaryOp op, float[] x, int xOff, float[] y, int yOff, int n) {
        KernelChecks.elementwise(x, xOff, y, yOff, n);
        ScalarPrimitives.unary(op, x, xOff, y, yOff, n);
    }

    /** {@code out[oOff+i] = op(a[aOff+i], b[bOff+i])} for i &lt; n; {@code out} may be {@code a} or {@code b}. */
    default void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        KernelChecks.binary(a, aOff, b, bOff, out, oOff, n);
        ScalarPrimitives.binary(op, a, aOff, b, bOff, out, oOff, n);
    }

    /**
     * Broadcasting along one axis: seeing {@code a} and {@code out} as {@code [outer, mid, inner]} and
     * {@code b} as {@code [mid]}, {@code out[o][m][i] = op(a[o][m][i], b[m])}. A row vector added to every
     * row of a matrix is {@code (rows, cols, 1)}; a column vector is {@code (1, rows, cols)}; a per-channel
     * value of NCHW data is {@code (N, C, H·W)}. {@code out} may be {@code a}.
     */
    default void broadcast(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff,
                           int outer, int mid, int inner) {
        KernelChecks.broadcast(a, aOff, b, bOff, out, oOff, outer, mid, inner);
        ScalarPrimitives.broadcast(op, a, aOff, b, bOff, out, oOff, outer, mid, inner);
    }

    /** {@code y[yOff+i] = fma(alpha, x[xOff+i], beta)}; {@code y} may be {@code x}. */
    default void affine(float alpha, float[] x, int xOff, float beta, float[] y, int yOff, int n) {
        KernelChecks.elementwise(x, xOff, y, yOff, n);
        ScalarPrimitives.affine(alpha, x, xOff, beta, y, yOff, n);
    }

    /**
     * Reduction along one axis: seeing {@code x} as {@code [outer, mid, inner]},
     * {@code out[o][i] = op over m of x[o][m][i]} (folded in order m = 0, 1, …), written to
     * {@code out[outOff + o·inner + i]}, or combined with what is there when {@code accumulate}. Row sums
     * of a matrix are {@code (rows, cols, 1)}; column sums (a bias gradient) are {@code (1, rows, cols)};
     * a per-channel sum over H·W of NCHW data is {@code (N·C, H·W, 1)}.
     */
    default void reduce(ReduceOp op, float[] x, int xOff, int outer, int mid, int inner, float[] out, int outOff,
                        boolean accumulate) {
        KernelChecks.reduce(x, xOff, outer, mid, inner, out, outOff);
        ScalarPrimitives.reduce(op, x, xOff, outer, mid, inner, out, outOff, accumulate);
    }

    /** {@code dst[dstOff+i] = src[srcOff+i]} for i &lt; n. */
    default void copy(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        System.arraycopy(src, srcOff, dst, dstOff, n);
    }

    /**
     * Copies a strided block: row r (r &lt; rows) of {@code cols} values starts at {@code srcOff + r·srcStride}
     * in {@code src} and at {@code dstOff + r·dstStride} in {@code dst} (concat, slices, time steps).
     */
    default void copyRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride, int rows, int cols) {
        if (rows == 0 || cols == 0) return;
        KernelChecks.strided("src", src, srcOff, srcStride, rows, cols);
        KernelChecks.strided("dst", dst, dstOff, dstStride, rows, cols);
        for (int r = 0; r < rows; r++) System.arraycopy(src, srcOff + r * srcStride, dst, dstOff + r * dstStride, cols);
    }

    /**
     * Gathers rows of a table ({@code rowLength} values each): row {@code j} of {@code out} (from
     * {@code outOff}) is row {@code indices[j]} of {@code table}, for j &lt; count (an embedding lookup).
     * An index outside the table is an error naming it.
     */
    default void gatherRows(float[] table, int rowLength, int[] indices, int count, float[] out, int outOff) {
        int rows = table.length / Math.max(rowLength, 1);
        KernelChecks.range("out", out, outOff, KernelChecks.volume(count, 1, rowLength));
        for (int j = 0; j < count; j++) {
            int row = KernelChecks.index(indices[j], rows, j);
            System.arraycopy(table, row * rowLength, out, outOff + j * rowLength, rowLength);
        }
    }

    /**
     * The adjoint of {@link #gatherRows}: adds row {@code j} of {@code src} (from {@code srcOff}) into row
     * {@code indices[j]} of {@code table}, for j &lt; count in order (an embedding's gradient).
     */
    default void scatterAddRows(float[] src, int srcOff, int rowLength, int[] indices, int count, float[] table) {
        int rows = table.length / Math.max(rowLength, 1);
        KernelChecks.range("src", src, srcOff, KernelChecks.volume(count, 1, rowLength));
        for (int j = 0; j < count; j++) {
            int row = KernelChecks.index(indices[j], rows, j);
            binary(BinaryOp.ADD, table, row * rowLength, src, srcOff + j * rowLength, table, row * rowLength, rowLength);
        }
    }

    /**
     * {@code count} independent products {@link #gemm} with the same sizes; product {@code p} reads A
     * from {@code aOff + p·strideA}, B from {@code bOff + p·strideB} and writes C at {@code cOff + p·strideC}
     * (attention heads, per-group convolutions, per-time-step products).
     */
    default void gemmBatched(int count, boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int strideA, int lda, float[] b, int bOff, int strideB, int ldb,
                             float beta, float[] c, int cOff, int strideC, int ldc) {
        for (int p = 0; p < count; p++) {
            gemm(transA, transB, m, n, k, alpha, a, aOff + p * strideA, lda, b, bOff + p * strideB, ldb,
                    beta, c, cOff + p * strideC, ldc);
        }
    }

    /**
     * Floats that {@link #packRight} needs for a right operand op(B) of k×n. The layout is the implementation's
     * own: the vector kernels store the panels their micro-kernel reads, the others a row-major copy of op(B).
     */
    default int packedRightSize(int k, int n) {
        KernelChecks.count("packedRightSize k", k);
        KernelChecks.count("packedRightSize n", n);
        return Math.multiplyExact(k, n);
    }

    /**
     * Packs op(B) (k×n; B stored n×k when {@code transB}) into {@code packed} ({@link #packedRightSize} floats)
     * once, for many products {@link #gemmPackedRight} with the same right operand: a recurrent layer's weights at
     * every time step, say, which {@link #gemm} would pack again at every step and on every thread.
     */
    default void packRight(boolean transB, int k, int n, float[] b, int bOff, int ldb, float[] packed) {
        KernelChecks.range("packRight", packed, 0, packedRightSize(k, n));
        GemmArguments.checkRight(transB, k, n, b, bOff, ldb);
        if (transB) {
            for (int j = 0; j < n; j++) copyRows(b, bOff + j * ldb, 1, packed, j, n, k, 1);
        } else {
            copyRows(b, bOff, ldb, packed, 0, n, k, n);
        }
    }

    /**
     * {@code C = alpha·op(A)·B + beta·C} with B packed by {@link #packRight} for the same k and n. The result is
     * that of {@link #gemm} with {@code transB = false} and op(B) stored as a plain k×n matrix, bit for bit.
     */
    default void gemmPackedRight(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                 float[] packed, float beta, float[] c, int cOff, int ldc) {
        gemm(transA, false, m, n, k, alpha, a, aOff, lda, packed, 0, n, beta, c, cOff, ldc);
    }

    /**
     * Runs {@code task} over the elements {@code [0, n)}: split into one range per kernel thread, run in
     * parallel, when there are several threads and {@code n >= parallelMin}; otherwise as the single range
     * {@code [0, n)} on the calling thread (the scalar kernels always do that). Ranges are disjoint,
     * consecutive and cover {@code [0, n)}; the vector kernels start each at a multiple of their vector
     * length. Returns when every range is done, rethrowing the first failure.
     *
     * <p>This is how a plugin's element-wise kernels (an optimizer update, say) use the kernel threads. The
     * task must compute each element on its own, reading and writing nothing outside its range, so that its
     * result never depends on the split or the number of threads. Nothing is allocated, whether the work stays
     * on the calling thread or is split, so a caller that keeps one task object keeps a training step
     * allocation-free.
     */
    default void parallelRanges(int n, int parallelMin, RangeTask task) {
        KernelChecks.count("parallelRanges", n);
        task.run(0, n);
    }

    /**
     * Runs {@code task} over the items {@code [0, n)} — channels, planes, sequences: units a task handles whole —
     * split into one near-equal range per kernel thread ({@code ⌈n / threads⌉} items each, the last range
     * shorter), run in parallel, when there are several threads and {@code n >= 2}; otherwise as the single
     * range {@code [0, n)} on the calling thread. Unlike {@link #parallelRanges} the ranges are not aligned to
     * the vector length: 16 channels at 16 float lanes would otherwise all fall to one thread. The same rules
     * hold: each item computed on its own, the result independent of the split, nothing allocated.
     */
    default void parallelItems(int n, RangeTask task) {
        KernelChecks.count("parallelItems", n);
        task.run(0, n);
    }

    /** Releases the thread pool, if any. */
    @Override
    default void close() {
    }
}
