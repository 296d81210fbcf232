package dev.propel.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.function.BooleanSupplier;

/** The blocking {@link VectorGemm} takes for each vector width and register budget (see {@link GemmBlocking}). */
class GemmBlockingTest {

    @ParameterizedTest(name = "{0} lanes, {1} registers: {2}x{3} vectors, KC={4} MC={5} NC={6}")
    @CsvSource({
            // lanes, registers, mr, vectors, kc, mc, nc
            "4, 16, 4, 2, 512, 48, 512",     // SSE, or AVX2 limited to 128 bits
            "4, 32, 8, 2, 512, 48, 512",     // NEON
            "8, 16, 4, 2, 256, 96, 1024",    // AVX2
            "8, 32, 8, 2, 256, 96, 1024",    // AVX-512 limited to 256 bits, with the override
            "16, 32, 8, 2, 256, 96, 1024",   // AVX-512
            "16, 16, 4, 2, 256, 96, 1024",   // AVX-512 with the override 16
    })
    void blocksFollowWidthAndBudget(int lanes, int registers, int mr, int vectors, int kc, int mc, int nc) {
        GemmBlocking b = GemmBlocking.of(lanes, registers);
        assertEquals(new GemmBlocking(lanes, registers, mr, vectors, kc, mc, nc), b);
        assertTrue(b.registersUsed() <= registers, b.registersUsed() + " registers used of " + registers);
        assertTrue(b.registersUsed() >= registers - 6, "the block leaves at most a few registers unused");
        assertEquals(0, b.mc() % b.mr(), "MC is whole register blocks");
        assertEquals(0, b.nc() % b.nr(), "NC is whole register blocks");
        assertTrue((long) b.kc() * b.nr() * Float.BYTES <= 32 * 1024, "the B micro-panel fits in L1");
        assertTrue((long) b.mc() * b.kc() * Float.BYTES <= 96 * 1024, "the A block fits in L2");
        assertTrue((long) b.nc() * b.kc() * Float.BYTES <= 1024 * 1024, "the B block is at most 1 MiB");
    }

    @Test
    void registerBudgetIsDetectedFromArchitectureAndWidth() {
        BooleanSupplier vex = () -> false;
        BooleanSupplier evex = () -> true;
        assertEquals(16, GemmBlocking.registers(128, "amd64", null, vex));
        assertEquals(16, GemmBlocking.registers(256, "amd64", null, vex));
        assertEquals(32, GemmBlocking.registers(512, "amd64", null, vex));
        assertEquals(32, GemmBlocking.registers(128, "aarch64", null, vex));
        assertEquals(32, GemmBlocking.registers(256, "amd64", " 32 ", vex));
        assertEquals(16, GemmBlocking.registers(512, "amd64", "16", evex));
        // An AVX-512 CPU held to narrower vectors (-XX:MaxVectorSize=32|16) still encodes them with EVEX.
        assertEquals(32, GemmBlocking.registers(256, "amd64", null, evex));
        assertEquals(32, GemmBlocking.registers(128, "x86_64", null, evex));
        assertEquals(16, GemmBlocking.registers(256, "riscv64", null, evex));
    }

    @Test
    void theEncodingIsAskedOnlyWhereItDecides() {
        BooleanSupplier mustNotBeAsked = () -> {
            throw new AssertionError("asked for the encoding");
        };
        assertEquals(32, GemmBlocking.registers(512, "amd64", null, mustNotBeAsked));
        assertEquals(32, GemmBlocking.registers(128, "aarch64", null, mustNotBeAsked));
        assertEquals(16, GemmBlocking.registers(256, "amd64", "16", mustNotBeAsked));
    }

    @Test
    void aBadOverrideNamesThePropertyAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GemmBlocking.registers(256, "amd64", "24", () -> false));
        assertTrue(e.getMessage().contains(GemmBlocking.REGISTERS_PROPERTY) && e.getMessage().contains("'24'")
                && e.getMessage().contains("16 or 32") && e.getMessage().contains("16 here"), e.getMessage());
    }

    /** What this JVM runs: the register block's shape is the one its budget allows. */
    @Test
    void thisJvmUsesTheBlockingOfItsWidthAndBudget() {
        GemmBlocking b = VectorGemm.BLOCKING;
        assertEquals(VectorGemm.LANES, b.lanes());
        assertEquals(VectorGemm.LANES * 2, VectorGemm.NR);
        assertEquals(b.registers() >= 32 ? 8 : 4, VectorGemm.MR);
    }

    /**
     * In the surefire executions that rerun the kernel tests at another width or budget (core/pom.xml),
     * the JVM really picked it: at most {@code propel.test.maxLanes} lanes and {@code propel.test.registers}.
     */
    @Test
    void theForkedJvmRunsTheWidthAndBudgetItWasStartedFor() {
        String maxLanes = System.getProperty("propel.test.maxLanes");
        String registers = System.getProperty("propel.test.registers");
        assumeTrue(maxLanes != null || registers != null, "not one of the vector-width executions");
        if (maxLanes != null) {
            assertTrue(VectorGemm.LANES <= Integer.parseInt(maxLanes), VectorGemm.LANES + " lanes");
        }
        if (registers != null) {
            assertEquals(Integer.parseInt(registers), VectorGemm.BLOCKING.registers());
        }
    }
}
