package dev.propel.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix product {@code C = alpha·op(A)·op(B) + beta·C} with the Vector API, in the BLIS layout:
 *
 * <pre>
 * for jc in columns of C, NC at a time
 *   for pc in k, KC at a time                    pack op(B)[pc.., jc..] into NR-wide panels
 *     for ic in rows of C, MC at a time          pack alpha·op(A)[ic.., pc..] into MR-tall panels
 *       for jr, ir over the panels               micro-kernel: an MR×NR block of C in registers,
 *                                                  KC rank-1 updates of broadcast A × B vectors
 * </pre>
 *
 * Packing turns all four transpose layouts into the same contiguous panels, so one micro-kernel
 * serves them all. MR, NR and the cache blocks KC, MC, NC follow the vector length and the number of
 * vector registers ({@link GemmBlocking}: 4 × 2 vectors with 16 registers, 8 × 2 with 32). Blocks at
 * the right and bottom edges run the same micro-kernel on a zero-padded copy of the C tile.
 *
 * <p><b>Exact results.</b> Every element of C gets exactly the operations of the scalar reference:
 * {@code c = beta == 0 ? 0 : beta·c} (old contents ignored when beta is 0), then
 * {@code c = fma(alpha·a[i][p], b[p][j], c)} for p = 0, 1, …, k−1 in that order. C is loaded from
 * and stored to memory between k-blocks, which changes nothing, and a thread split only decides
 * which thread computes which elements. The results are therefore bitwise identical to
 * {@link ScalarKernels#gemm} and independent of the number of threads.
 *
 * <p>Products with at most {@link GemmDot#MAX_ROWS} rows and B transposed skip the packing and follow
 * the dot-product order of {@link GemmDot} instead, like the scalar reference does for those shapes.
 *
 * <p>Packing buffers and the split task ({@link GemmSplit}) live in a per-thread {@link Buffers} object,
 * allocated once per thread and reused, so a product allocates nothing in steady state, split or not.
 */
final class VectorGemm {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** The block sizes for this vector length and register budget; see {@link GemmBlocking}. */
    static final GemmBlocking BLOCKING = GemmBlocking.forThisJvm(LANES);
    /** Rows of the register block: 4 with 16 vector registers, 8 with 32. */
    static final int MR = BLOCKING.mr();
    /** Columns of the register block: two vectors. */
    static final int NR = BLOCKING.nr();
    /** Depth of a k-block: a KC×NR panel of B stays in L1 while the panels of A stream past. */
    static final int KC = BLOCKING.kc();
    /** Rows of A packed at once (an MC×KC block of A stays in L2). */
    static final int MC = BLOCKING.mc();
    /** Columns of B packed at once. */
    static final int NC = BLOCKING.nc();
    /**
     * Products with fewer multiply-adds than this (about 30 µs on one core) run on the calling
     * thread: handing work to a parked worker costs tens of microseconds.
     */
    static final long PARALLEL_MIN_WORK = 1L << 22;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private VectorGemm() {
    }

    /** The calling thread's packing buffers. */
    static Buffers buffers() {
        return BUFFERS.get();
    }

    /** Packing space of one thread: grown on first need, then reused. */
    static final class Buffers {
        float[] packedA = new float[0];
        float[] packedB = new float[0];
        final float[] tile = new float[MR * NR];
        /** This thread's split product, reused by every product it splits over the pool. */
        final GemmSplit split = new GemmSplit();

        float[] packedA(int size) {
            if (packedA.length < size) {
                packedA = new float[size];
            }
            return packedA;
        }

        float[] packedB(int size) {
            if (packedB.length < size) {
                packedB = new float[size];
            }
            return packedB;
        }
    }

    /** The product, split over the pool's threads when it is large enough (see the class note on exactness). */
    static void gemm(KernelThreadPool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        GemmArguments.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        int threads = pool.threadsFree();
        if (GemmDot.applies(transA, transB, m, k)) {
            dotProduct(pool, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int rowPanels = (m + MR - 1) / MR;
        int colPanels = (n + NR - 1) / NR;
        if (threads == 1 || (long) m * n * k < PARALLEL_MIN_WORK || Math.max(rowPanels, colPanels) < 2) {
            serial(BUFFERS.get(), transA, transB, false, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Buffers buffers = BUFFERS.get();
        if (splitByRows(m, n, rowPanels, colPanels, threads)) {
            int parts = Math.min(threads, rowPanels);
            buffers.split.byRows((rowPanels + parts - 1) / parts * MR);
        } else {
            int parts = Math.min(threads, colPanels);
            buffers.split.byColumns(columnSpan(n, parts));
        }
        runSplit(pool, buffers.split, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * Whether a product split over {@code threads} takes rows of C rather than columns. Each part packs the whole
     * operand it shares with the others: B (k × n) when split by rows, A (m × k) by columns. So the split copies
     * the smaller one twice, rows when {@code n <= m}, as long as that side has four panels per thread (so the
     * parts differ by at most a quarter); otherwise the side with more panels. (A dense forward of batch 128
     * into 512 units at 784 inputs packed its 784 × 512 weights on both threads.)
     */
    static boolean splitByRows(int m, int n, int rowPanels, int colPanels, int threads) {
        boolean rowsFill = rowPanels >= 4 * threads;
        boolean colsFill = colPanels >= 4 * threads;
        if (rowsFill != colsFill) {
            return rowsFill;
        }
        return rowsFill ? n <= m : rowPanels >= colPanels;
    }

    /**
     * Columns of C per part when {@code n} columns are split into {@code parts}: the even share rounded up to the
     * vector length, not to the register block's NR columns. A part's last, partial panel then costs a padded
     * register block, but the packing of B, which for a product of few rows and a long k (a convolution's
     * weight gradient: 16 × 144 × 3136) costs more than the block, is shared evenly: 144 columns split
     * 80 + 64 rather than 96 + 48.
     */
    static int columnSpan(int n, int parts) {
        int share = (n + parts - 1) / parts;
        return (share + LANES - 1) / LANES * LANES;
    }

    /** Runs the parts of {@code split} over the pool, then lets go of the caller's arrays. */
    private static void runSplit(KernelThreadPool pool, GemmSplit split, boolean transA, boolean transB,
                                 int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                 float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        split.product(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        try {
            pool.forEachPart(split.parts(), split);
        } finally {
            split.clear();
        }
    }

    /**
     * A product with few rows and B transposed, in the order of {@link GemmDot}: no packing, each
     * element a dot product of two contiguous rows. Split over the threads by columns of C when large.
     */
    private static void dotProduct(KernelThreadPool pool, int m, int n, int k, float alpha,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc) {
        int threads = pool.threadsFree();
        if (threads == 1 || (long) m * n * k < PARALLEL_MIN_WORK || n < 2 * DOT_COLUMNS) {
            dotColumns(BUFFERS.get(), m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        GemmSplit split = BUFFERS.get().split.byDotColumns(roundUp((n + threads - 1) / threads, DOT_COLUMNS));
        runSplit(pool, split, false, true, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Columns of C computed together in {@link #dotColumns}, so each loaded piece of A serves four of them. */
    static final int DOT_COLUMNS = 4;

    /** Columns [j0, j1) of a {@link GemmDot} product on the calling thread. */
    static void dotColumns(Buffers buffers, int m, int j0, int j1, int k, float alpha,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float beta, float[] c, int cOff, int ldc) {
        float[] s = buffers.tile;
        if (GemmDotHalfWidth.applies()) {
            GemmDotHalfWidth.columns(s, m, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (LANES != GemmDot.WIDTH) {
            // The lanes cannot hold the WIDTH partial sums one or two to one: keep the exact order in plain Java.
            GemmDot.scalar(s, m, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int bound = SPECIES.loopBound(k);
        VectorMask<Float> tail = SPECIES.indexInRange(bound, k);
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * lda;
            int cRow = cOff + i * ldc;
            int j = j0;
            for (; j + DOT_COLUMNS <= j1; j += DOT_COLUMNS) {
                int b0 = bOff + j * ldb;
                int b1 = b0 + ldb;
                int b2 = b1 + ldb;
                int b3 = b2 + ldb;
                FloatVector s0 = FloatVector.zero(SPECIES);
                FloatVector s1 = s0;
                FloatVector s2 = s0;
                FloatVector s3 = s0;
                int p = 0;
                for (; p < bound; p += LANES) {
                    FloatVector av = FloatVector.fromArray(SPECIES, a, aRow + p);
                    s0 = av.fma(FloatVector.fromArray(SPECIES, b, b0 + p), s0);
                    s1 = av.fma(FloatVector.fromArray(SPECIES, b, b1 + p), s1);
                    s2 = av.fma(FloatVector.fromArray(SPECIES, b, b2 + p), s2);
                    s3 = av.fma(FloatVector.fromArray(SPECIES, b, b3 + p), s3);
                }
                if (p < k) {
                    // Lanes past k load 0, and fma(0, 0, s) = s here: a partial sum is never −0.
                    FloatVector av = FloatVector.fromArray(SPECIES, a, aRow + p, tail);
                    s0 = av.fma(FloatVector.fromArray(SPECIES, b, b0 + p, tail), s0);
                    s1 = av.fma(FloatVector.fromArray(SPECIES, b, b1 + p, tail), s1);
                    s2 = av.fma(FloatVector.fromArray(SPECIES, b, b2 + p, tail), s2);
                    s3 = av.fma(FloatVector.fromArray(SPECIES, b, b3 + p, tail), s3);
                }
                s0.intoArray(s, 0);
                GemmDot.store(s, alpha, beta, c, cRow + j);
                s1.intoArray(s, 0);
                GemmDot.store(s, alpha, beta, c, cRow + j + 1);
                s2.intoArray(s, 0);
                GemmDot.store(s, alpha, beta, c, cRow + j + 2);
                s3.intoArray(s, 0);
                GemmDot.store(s, alpha, beta, c, cRow + j + 3);
            }
            for (; j < j1; j++) {
                int b0 = bOff + j * ldb;
                FloatVector s0 = FloatVector.zero(SPECIES);
                int p = 0;
                for (; p < bound; p += LANES) {
                    s0 = FloatVector.fromArray(SPECIES, a, aRow + p).fma(FloatVector.fromArray(SPECIES, b, b0 + p), s0);
                }
                if (p < k) {
                    s0 = FloatVector.fromArray(SPECIES, a, aRow + p, tail)
                            .fma(FloatVector.fromArray(SPECIES, b, b0 + p, tail), s0);
                }
                s0.intoArray(s, 0);
                GemmDot.store(s, alpha, beta, c, cRow + j);
            }
        }
    }

    /** Floats of a right operand packed once by {@link #packRight}: the panels of every block that serial packs. */
    static int packedRightSize(int k, int n) {
        return Math.multiplyExact(roundUp(n, NR), k);
    }

    /**
     * Where block (jc, pc) starts in a right operand packed once: the column blocks before it hold NC columns (a
     * multiple of NR) of all k rows, the k-blocks of its own column block before it KC rows of its padded width.
     */
    private static int packedBlock(int jc, int pc, int k, int nc) {
        return jc * k + pc * roundUp(nc, NR);
    }

    /** Packs op(B) once, block by block as {@link #serial} would, for {@link #gemmPackedRight}. */
    static void packRight(boolean transB, int k, int n, float[] b, int bOff, int ldb, float[] packed) {
        GemmArguments.checkRight(transB, k, n, b, bOff, ldb);
        KernelChecks.range("packRight", packed, 0, packedRightSize(k, n));
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                packB(transB, b, bOff, ldb, pc, Math.min(KC, k - pc), jc, nc, packed, packedBlock(jc, pc, k, nc));
            }
        }
    }

    /**
     * The product with a right operand packed once: the operations of {@link #gemm} with {@code transB = false}
     * and op(B) as a plain matrix, so the same bits. Split over the threads by rows of C only: every part reads the
     * whole packed B, which nobody writes.
     */
    static void gemmPackedRight(KernelThreadPool pool, boolean transA, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] packed, float beta, float[] c, int cOff, int ldc) {
        GemmArguments.check(transA, false, m, n, k, a, aOff, lda, packed, 0, n, c, cOff, ldc);
        KernelChecks.range("gemmPackedRight", packed, 0, packedRightSize(k, n));
        if (m == 0 || n == 0) {
            return;
        }
        int rowPanels = (m + MR - 1) / MR;
        int threads = pool.threadsFree();
        Buffers buffers = BUFFERS.get();
        if (threads == 1 || (long) m * n * k < PARALLEL_MIN_WORK || rowPanels < 2) {
            serial(buffers, transA, false, true, m, n, k, alpha, a, aOff, lda, packed, 0, n, beta, c, cOff, ldc);
            return;
        }
        int parts = Math.min(threads, rowPanels);
        buffers.split.byRowsOfPackedRight((rowPanels + parts - 1) / parts * MR);
        runSplit(pool, buffers.split, transA, false, m, n, k, alpha, a, aOff, lda, packed, 0, n, beta, c, cOff, ldc);
    }

    /**
     * The whole product on the calling thread. Sizes are already checked and m, n > 0. With {@code prepacked}, b is a
     * right operand packed once by {@link #packRight} (bOff and ldb unused) and no block of it is packed here.
     */
    static void serial(Buffers buffers, boolean transA, boolean transB, boolean prepacked, int m, int n, int k, float alpha,
                       float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float beta, float[] c, int cOff, int ldc) {
        if (k == 0) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        float[] packedA = buffers.packedA(MC * Math.min(KC, k));
        float[] packedB = prepacked ? b : buffers.packedB(roundUp(Math.min(NC, n), NR) * Math.min(KC, k));
        float[] tile = buffers.tile;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean first = pc == 0;
                int panels = prepacked ? packedBlock(jc, pc, k, nc) : 0;
                if (!prepacked) {
                    packB(transB, b, bOff, ldb, pc, kc, jc, nc, packedB, 0);
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, alpha, a, aOff, lda, ic, mc, pc, kc, packedA);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                            if (mr == MR && nr == NR) {
                                registerBlock(packedA, ir * kc, packedB, panels + jr * kc, kc, c, cIdx, ldc, first, beta);
                            } else {
                                copyTile(c, cIdx, ldc, tile, 0, NR, mr, nr);
                                registerBlock(packedA, ir * kc, packedB, panels + jr * kc, kc, tile, 0, NR, first, beta);
                                copyTile(tile, 0, NR, c, cIdx, ldc, mr, nr);
                            }
                        }
                    }
                }
            }
        }
    }

    /** One MR×NR tile of C: the 4 × 2 {@link #microKernel} or, with 32 vector registers, {@link MicroKernel8x2}. */
    private static void registerBlock(float[] a, int aIdx, float[] b, int bIdx, int kc,
                                      float[] c, int cIdx, int ldc, boolean first, float beta) {
        if (MR == MicroKernel8x2.MR) {
            MicroKernel8x2.run(a, aIdx, b, bIdx, kc, c, cIdx, ldc, first, beta);
        } else {
            microKernel(a, aIdx, b, bIdx, kc, c, cIdx, ldc, first, beta);
        }
    }

    /**
     * The 4 × 2 register block (14 vector registers, see {@link GemmBlocking}).
     * C[0..4)[0..NR) (+)= Σ_p a[p]·b[p] over one k-block: a holds 4 values per p (alpha included),
     * b holds NR values per p. On the first k-block C starts from {@code beta·C}, or from 0 when beta
     * is 0 so that old contents (even NaN) are ignored.
     */
    private static void microKernel(float[] a, int aIdx, float[] b, int bIdx, int kc,
                                    float[] c, int cIdx, int ldc, boolean first, float beta) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        int r0 = cIdx;
        int r1 = r0 + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        if (first && beta == 0f) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c00 = zero; c01 = zero; c10 = zero; c11 = zero;
            c20 = zero; c21 = zero; c30 = zero; c31 = zero;
        } else {
            c00 = FloatVector.fromArray(SPECIES, c, r0);
            c01 = FloatVector.fromArray(SPECIES, c, r0 + LANES);
            c10 = FloatVector.fromArray(SPECIES, c, r1);
            c11 = FloatVector.fromArray(SPECIES, c, r1 + LANES);
            c20 = FloatVector.fromArray(SPECIES, c, r2);
            c21 = FloatVector.fromArray(SPECIES, c, r2 + LANES);
            c30 = FloatVector.fromArray(SPECIES, c, r3);
            c31 = FloatVector.fromArray(SPECIES, c, r3 + LANES);
            if (first) {
                c00 = c00.mul(beta); c01 = c01.mul(beta); c10 = c10.mul(beta); c11 = c11.mul(beta);
                c20 = c20.mul(beta); c21 = c21.mul(beta); c30 = c30.mul(beta); c31 = c31.mul(beta);
            }
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bIdx);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bIdx + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[aIdx]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 1]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 2]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(SPECIES, a[aIdx + 3]);
            c30 = b0.fma(av, c30);
            c31 = b1.fma(av, c31);
            aIdx += 4;
            bIdx += NR;
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + LANES);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + LANES);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + LANES);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + LANES);
    }

    /**
     * Packs rows [pc, pc+kc) × columns [jc, jc+nc) of op(B) into NR-wide panels: panel q holds, for
     * each p, the NR values op(B)[pc+p][jc+q·NR ..] contiguously; columns past nc are zero.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc,
                              float[] packed, int packedOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int dst = packedOff + jr * kc;
            if (transB && nr == NR && TransposedPanel.supported()) {
                for (int h = 0; h < NR; h += LANES) {
                    TransposedPanel.pack(b, bOff + (jc + jr + h) * ldb + pc, ldb, kc, packed, dst + h, NR);
                }
            } else if (transB) {
                // op(B)[p][j] = b[j][p]: read each stored row of B along p, write it down a panel column.
                for (int jj = 0; jj < nr; jj++) {
                    int src = bOff + (jc + jr + jj) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        packed[dst + p * NR + jj] = b[src + p];
                    }
                }
                if (nr < NR) {
                    for (int p = 0; p < kc; p++) {
                        Arrays.fill(packed, dst + p * NR + nr, dst + (p + 1) * NR, 0f);
                    }
                }
            } else if (nr == NR) {
                int src = bOff + pc * ldb + jc + jr;
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(SPECIES, b, src).intoArray(packed, dst);
                    FloatVector.fromArray(SPECIES, b, src + LANES).intoArray(packed, dst + LANES);
                    src += ldb;
                    dst += NR;
                }
            } else {
                int src = bOff + pc * ldb + jc + jr;
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, src, packed, dst, nr);
                    Arrays.fill(packed, dst + nr, dst + NR, 0f);
                    src += ldb;
                    dst += NR;
                }
            }
        }
    }

    /**
     * Packs rows [ic, ic+mc) × columns [pc, pc+kc) of alpha·op(A) into MR-tall panels: panel q holds,
     * for each p, the MR values alpha·op(A)[ic+q·MR ..][pc+p] contiguously; rows past mc are zero.
     */
    private static void packA(boolean transA, float alpha, float[] a, int aOff, int lda, int ic, int mc,
                              int pc, int kc, float[] packed) {
        if (transA) {
            // op(A)[i][p] = a[p][i]: stored row p holds the mc values of one p for every panel. Reading it
            // once, left to right, and handing MR values to each panel touches each cache line of A once;
            // panel by panel, every line was fetched again for each of the MR-row panels it serves.
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic;
                for (int ir = 0; ir < mc; ir += MR) {
                    int mr = Math.min(MR, mc - ir);
                    int d = ir * kc + p * MR;
                    for (int r = 0; r < mr; r++) {
                        packed[d + r] = alpha * a[src + ir + r];
                    }
                    for (int r = mr; r < MR; r++) {
                        packed[d + r] = 0f;
                    }
                }
            }
            return;
        }
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = ir * kc;
            for (int r = 0; r < mr; r++) {
                int src = aOff + (ic + ir + r) * lda + pc;
                for (int p = 0; p < kc; p++) {
                    packed[dst + p * MR + r] = alpha * a[src + p];
                }
            }
            for (int r = mr; r < MR; r++) {
                for (int p = 0; p < kc; p++) {
                    packed[dst + p * MR + r] = 0f;
                }
            }
        }
    }

    private static void copyTile(float[] from, int fromIdx, int fromLd, float[] to, int toIdx, int toLd,
                                 int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(from, fromIdx + r * fromLd, to, toIdx + r * toLd, cols);
        }
    }

    /** C = beta·C (or 0 when beta is 0): the whole product when k is 0. */
    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
