package dev.propel.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Whether HotSpot encodes this JVM's vector code with EVEX, the AVX-512 encoding, which gives 32 vector
 * registers at every vector width (xmm/ymm/zmm 0–31). It does when the CPU has AVX-512 and {@code UseAVX}
 * is 3, its default there: so on an AVX-512 machine held to 256- or 128-bit vectors with
 * {@code -XX:MaxVectorSize=32|16}, the matrix product can keep the 32-register block (measured on Zen 5 at
 * 256 bits: 78–80 GFLOP/s with the 16-register 4 × 2 block, 90–91 with 8 × 2). With {@code -XX:UseAVX=2}, or
 * on an AVX2 CPU, the code is VEX-encoded and has 16.
 *
 * <p>Asking the JVM for {@code UseAVX} loads its management classes (about 40 ms on a cold start), so the CPU's
 * flags are read first from {@code /proc/cpuinfo} where there is one: a CPU without {@code avx512f} answers
 * without asking.
 */
final class EvexRegisters {
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    private EvexRegisters() {
    }

    /** True when C2 may use 32 vector registers on this x86 JVM; false when unknown. */
    static boolean inUse() {
        if (cpuLacksAvx512()) {
            return false;
        }
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotSpot != null && Integer.parseInt(hotSpot.getVMOption("UseAVX").getValue()) >= 3;
        } catch (RuntimeException | LinkageError e) {
            return false; // not HotSpot, or no such flag: keep the budget every x86 CPU has
        }
    }

    /** True when /proc/cpuinfo says the CPU has no AVX-512; false when it has it or cannot be read. */
    private static boolean cpuLacksAvx512() {
        // The first CPU's flags are enough; reading stops there (the file repeats them for every CPU).
        try (Stream<String> lines = Files.lines(CPU_INFO)) {
            return lines.filter(line -> line.startsWith("flags")).findFirst()
                    .map(flags -> !flags.contains(" avx512f")).orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
