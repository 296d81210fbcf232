package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.Propel;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.RangeTask;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code propel bench peak}: the multiply-add rate this JVM's vectors reach on this CPU, the ceiling
 * against which {@code bench gemm} is read ("% of peak"). Each kernel thread runs {@value #CHAINS}
 * independent chains {@code a = a·x + y} of {@link FloatVector#fma} on the preferred species, which the
 * JVM's {@code -XX:MaxVectorSize} and {@code -XX:UseAVX} narrow, so one machine gives the peak of every
 * width. Twelve chains cover the latency of two FMA pipes (4 cycles × 2 in flight = 8) and, with x and y,
 * fit the 16 registers of AVX2. One FMA of L lanes is 2·L floating-point operations.
 */
@Command(name = "peak", mixinStandardHelpOptions = true,
        description = {"GFLOP/s of vector multiply-adds alone: the ceiling for the products of `bench gemm`.",
                "Example: propel bench peak --threads 2 --json",
                "A narrower width's peak: the JVM option -XX:MaxVectorSize=32 (or 16) in PROPEL_JAVA_OPTS."})
final class BenchPeakCommand implements Callable<Integer> {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int CHAINS = 12;
    /** Loop iterations (of {@value #CHAINS} FMAs) per thread per call: a few milliseconds. */
    private static final int ITERATIONS_PER_THREAD = 1 << 20;

    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions global;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "7", description = "Timed rounds (default ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "0.2",
            description = "Length of a timed round in seconds (default ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "1",
            description = "Untimed seconds first, for the JIT to compile the loop (default ${DEFAULT-VALUE}).")
    private double warmup;

    @Option(names = "--json", description = "Print one JSON object to standard output instead of text.")
    private boolean json;

    /** Written with each range's result so that the JIT cannot drop the chains; the value is never read. */
    private static volatile float sink;

    @Override
    public Integer call() {
        BenchGemmCommand.checkTiming(spec, rounds, seconds, warmup);
        PropelCommand root = (PropelCommand) spec.root().userObject();
        try (Propel propel = root.propel()) {
            Kernels kernels = propel.kernels();
            int n = ITERATIONS_PER_THREAD * kernels.threads();
            RangeTask chains = (from, to) -> sink = fmaChains(to - from);
            double flopsPerCall = 2.0 * SPECIES.length() * CHAINS * n;
            // One range per thread (parallelMin 1): each kernel thread runs its share of the n iterations.
            BenchRounds.Result r = BenchRounds.measure(() -> kernels.parallelRanges(n, 1, chains),
                    flopsPerCall * 1e-9, warmup, rounds, seconds);
            int bits = SPECIES.vectorBitSize();
            if (json) {
                ObjectNode o = Json.object();
                o.put("benchmark", "peak");
                o.put("vector_bits", bits);
                o.put("lanes", SPECIES.length());
                o.put("threads", kernels.threads());
                o.put("kernels", kernels.name());
                o.put("gflops", BenchGemmCommand.round(r.best()));
                o.put("gflops_median", BenchGemmCommand.round(r.median()));
                o.put("rounds", r.rounds());
                root.out.println(Json.write(o));
            } else {
                root.out.printf(Locale.ROOT, "peak multiply-add rate, %d-bit vectors, %d thread%s: %.1f GFLOP/s "
                                + "(best of %d rounds; median %.1f)%n", bits, kernels.threads(),
                        kernels.threads() == 1 ? "" : "s", r.best(), r.rounds(), r.median());
            }
        }
        return 0;
    }

    /**
     * {@code iterations} steps of {@value #CHAINS} independent FMAs; returns a lane of their sum. The chains are
     * written out one by one, not kept in an array, so that C2 holds each in a register.
     */
    static float fmaChains(int iterations) {
        FloatVector x = FloatVector.broadcast(SPECIES, 0.999999f);
        FloatVector y = FloatVector.broadcast(SPECIES, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(SPECIES, 0f);
        FloatVector a1 = FloatVector.broadcast(SPECIES, 1f);
        FloatVector a2 = FloatVector.broadcast(SPECIES, 2f);
        FloatVector a3 = FloatVector.broadcast(SPECIES, 3f);
        FloatVector a4 = FloatVector.broadcast(SPECIES, 4f);
        FloatVector a5 = FloatVector.broadcast(SPECIES, 5f);
        FloatVector a6 = FloatVector.broadcast(SPECIES, 6f);
        FloatVector a7 = FloatVector.broadcast(SPECIES, 7f);
        FloatVector a8 = FloatVector.broadcast(SPECIES, 8f);
        FloatVector a9 = FloatVector.broadcast(SPECIES, 9f);
        FloatVector a10 = FloatVector.broadcast(SPECIES, 10f);
        FloatVector a11 = FloatVector.broadcast(SPECIES, 11f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
        return sum.lane(0);
    }
}
