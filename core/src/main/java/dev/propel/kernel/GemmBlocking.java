package dev.propel.kernel;

import java.util.function.BooleanSupplier;

/**
 * The block sizes of {@link VectorGemm}, chosen from the vector length and the number of vector
 * registers of the machine, so that one build runs well on 128-bit (SSE, NEON), 256-bit (AVX2) and
 * 512-bit (AVX-512) vectors.
 *
 * <p><b>Register block.</b> The micro-kernel keeps an {@code mr × vectors} block of C in registers
 * ({@code mr} rows, {@code vectors·lanes} columns). One step p of its loop over k loads
 * {@code vectors} vectors of packed B, broadcasts the {@code mr} values of packed A and does
 * {@code mr·vectors} fused multiply-adds, that is {@code 2·mr·vectors·lanes} FLOP. HotSpot's C2
 * schedules the {@code mr} broadcasts of a step together, ahead of the multiply-adds, so a step holds
 * <pre>
 *   mr·vectors   accumulators (the block of C)
 * + vectors      vectors of B, each used mr times
 * + mr           broadcast values of A
 * </pre>
 * vector registers at once. A block that needs more than the machine has spills an accumulator to the
 * stack and chains every step through a store and a reload: the 6 × 2 block of BLIS's hand-written
 * Haswell kernel needs 20 of AVX2's 16 registers when C2 compiles it, and ran at half the speed of
 * 4 × 2 on Zen 3. Hence (with 2 vectors, so that each broadcast serves two multiply-adds):
 * <ul>
 *   <li>16 registers (AVX2 and SSE, VEX-encoded code on x86):
 *       <b>4 × 2</b> = 8 + 2 + 4 = <b>14</b> registers, 8 multiply-adds per 6 loads; 8 independent
 *       accumulators cover the 4-cycle latency of two FMA pipes.</li>
 *   <li>32 registers (AVX-512 at 512 bits, and AArch64 NEON/SVE): <b>8 × 2</b> = 16 + 2 + 8 =
 *       <b>26</b> registers, 16 multiply-adds per 10 loads; half as many passes over the packed B
 *       panel as 4 × 2.</li>
 * </ul>
 * At 256 bits 4 × 2 is a 4×16 block of floats (64 FLOP per step), at 512 bits 8 × 2 is 8×32
 * (512 FLOP per step), at 128 bits 4 × 2 is 4×8 or, with 32 registers, 8×8.
 *
 * <p><b>Cache blocks</b> (in floats of 4 bytes): the packed KC×NR micro-panel of B is reused by every
 * row panel of A and should stay in L1: {@code KC = max(256, 16 KiB / (4·NR))}, so 16 KiB at 256 bits
 * (KC = 256), 32 KiB at 512 bits (KC = 256) and 16 KiB at 128 bits (KC = 512). The packed MC×KC block
 * of A streams through the micro-panels from L2: MC is the largest multiple of MR with MC·KC ≤ 96 KiB.
 * The packed KC×NC block of B is at most 1 MiB (L3): NC is the largest multiple of NR with
 * KC·NC ≤ 1 MiB.
 *
 * <p>None of this changes a result: {@link VectorGemm} computes every element of C with the same
 * operations in the same order whatever the blocks, so its results are bitwise those of the scalar
 * kernels at every vector width and register budget.
 *
 * <p><b>Register budget.</b> Detected as 32 on AArch64, for 512-bit vectors on x86, and for narrower
 * vectors on an x86 JVM that encodes them with EVEX (an AVX-512 CPU held to 256 or 128 bits with
 * {@code -XX:MaxVectorSize}, see {@link EvexRegisters}); otherwise 16. The system property
 * {@value #REGISTERS_PROPERTY} (16 or 32) overrides it, for experiments.
 *
 * @param lanes     floats per vector
 * @param registers the vector registers the micro-kernel may use
 * @param mr        rows of the register block
 * @param vectors   vectors per row of the register block
 * @param kc        depth of a k-block
 * @param mc        rows of A packed at once
 * @param nc        columns of B packed at once
 */
record GemmBlocking(int lanes, int registers, int mr, int vectors, int kc, int mc, int nc) {

    /** The system property that overrides the detected register budget. */
    static final String REGISTERS_PROPERTY = "propel.kernel.vectorRegisters";

    private static final int L1_PANEL_BYTES = 16 * 1024;
    private static final int L2_BLOCK_BYTES = 96 * 1024;
    private static final int L3_BLOCK_BYTES = 1024 * 1024;

    /** Columns of the register block. */
    int nr() {
        return vectors * lanes;
    }

    /** Vector registers the micro-kernel holds at once: accumulators, B vectors and the broadcasts of A. */
    int registersUsed() {
        return mr * vectors + vectors + mr;
    }

    /** The blocking for {@code lanes} floats per vector and a budget of {@code registers} vector registers. */
    static GemmBlocking of(int lanes, int registers) {
        if (lanes < 1 || Integer.bitCount(lanes) != 1) {
            throw new IllegalArgumentException("vector lanes must be a power of two, got " + lanes);
        }
        int mr = registers >= 32 ? 8 : 4;
        int vectors = 2;
        int nr = vectors * lanes;
        int kc = Math.max(256, L1_PANEL_BYTES / (Float.BYTES * nr));
        int mc = Math.max(mr, L2_BLOCK_BYTES / (Float.BYTES * kc) / mr * mr);
        int nc = Math.max(nr, L3_BLOCK_BYTES / (Float.BYTES * kc) / nr * nr);
        return new GemmBlocking(lanes, registers, mr, vectors, kc, mc, nc);
    }

    /** The blocking for this JVM: its preferred vector length, and the detected or overridden register budget. */
    static GemmBlocking forThisJvm(int lanes) {
        return of(lanes, registers(lanes * Float.SIZE, System.getProperty("os.arch", ""),
                System.getProperty(REGISTERS_PROPERTY), EvexRegisters::inUse));
    }

    /**
     * The vector registers a kernel may use: {@code override} when given (16 or 32), otherwise 32 on
     * AArch64 (NEON and SVE have 32), for 512-bit vectors on x86 (AVX-512) and for narrower x86 vectors
     * when {@code evex} says the JVM encodes them with EVEX (asked only then), else 16 (AVX2, SSE).
     */
    static int registers(int vectorBits, String arch, String override, BooleanSupplier evex) {
        if (override != null) {
            String value = override.strip();
            if (value.equals("16") || value.equals("32")) {
                return Integer.parseInt(value);
            }
            throw new IllegalArgumentException("system property " + REGISTERS_PROPERTY + " must be 16 or 32 (the"
                    + " vector registers the matrix-product kernel may use), got '" + override + "'; remove it to"
                    + " let Propel detect the budget (" + detected(vectorBits, arch, evex) + " here)");
        }
        return detected(vectorBits, arch, evex);
    }

    private static int detected(int vectorBits, String arch, BooleanSupplier evex) {
        boolean aarch64 = arch.equals("aarch64") || arch.equals("arm64");
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        return aarch64 || vectorBits >= 512 || (x86 && evex.getAsBoolean()) ? 32 : 16;
    }
}
