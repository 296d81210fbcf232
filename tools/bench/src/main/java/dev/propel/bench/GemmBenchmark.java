package dev.propel.bench;

import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square matrix products C = op(A)·op(B), size×size×size, in the three layouts a dense layer uses:
 * {@code AB} (forward with W stored in×out, and the input gradient), {@code ABt} (forward with W
 * stored out×in) and {@code AtB} (the weight gradient Xᵀ·dY).
 *
 * <p>One product is {@code 2·size³} floating-point operations. The primary score is products per
 * second; the secondary score {@code gflops} is the same throughput in GFLOP/s (2·size³·ops/s / 1e9).
 * The scalar reference kernels are available with {@code -p kernels=scalar} (slow: use size 256).
 * Until C2 compiles the micro-kernel the Vector API runs boxed and very slowly, so the first warmup
 * iterations are far below the steady state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class GemmBenchmark {

    @Param({"256", "512", "1024", "2048"})
    public int size;

    @Param({"AB", "ABt", "AtB"})
    public String layout;

    @Param({"1", "2"})
    public int threads;

    /** {@code vector} (the Vector API kernels) or {@code scalar} (the plain-Java reference). */
    @Param({"vector"})
    public String kernels;

    private Kernels k;
    private boolean transA;
    private boolean transB;
    private float[] a;
    private float[] b;
    private float[] c;

    /** Floating-point operations done, reported per second (so in GFLOP/s, since it counts in units of 1e9). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
        }
    }

    @Setup
    public void setUp() {
        k = switch (kernels) {
            case "vector" -> KernelsProvider.create(threads);
            case "scalar" -> KernelsProvider.scalar();
            default -> throw new IllegalArgumentException("kernels must be vector or scalar, got " + kernels);
        };
        switch (layout) {
            case "AB" -> { transA = false; transB = false; }
            case "ABt" -> { transA = false; transB = true; }
            case "AtB" -> { transA = true; transB = false; }
            default -> throw new IllegalArgumentException("layout must be AB, ABt or AtB, got " + layout);
        }
        SplittableRandom random = new SplittableRandom(42);
        a = random(random, size * size);
        b = random(random, size * size);
        c = new float[size * size];
    }

    @TearDown
    public void tearDown() {
        k.close();
    }

    @Benchmark
    public float[] gemm(Flops flops) {
        k.gemm(transA, transB, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
        flops.gflops += 2e-9 * size * size * size;
        return c;
    }

    static float[] random(SplittableRandom random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        return x;
    }
}
