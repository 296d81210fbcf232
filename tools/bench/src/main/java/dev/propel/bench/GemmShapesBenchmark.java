package dev.propel.bench;

import dev.propel.kernel.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The tall-skinny products of one MLP training step at batch 128, written {@code MxNxK:LAYOUT} (C is
 * M×N, inner dimension K): the first dense layer's forward ({@code 128x512x784:ABt}), the same product
 * with B stored k×n ({@code 128x512x784:AB}), its weight gradient ({@code 512x784x128:AtB}) and the
 * second layer's input gradient ({@code 128x512x512:AB}); plus a batch-1 forward
 * ({@code 1x512x784:ABt}, the dot-product order). Scores as in {@link GemmBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class GemmShapesBenchmark {

    @Param({"128x512x784:ABt", "128x512x784:AB", "512x784x128:AtB", "128x512x512:AB", "1x512x784:ABt"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Kernels k;
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int kk;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        String[] parts = shape.split(":");
        String[] mnk = parts[0].split("x");
        m = Integer.parseInt(mnk[0]);
        n = Integer.parseInt(mnk[1]);
        kk = Integer.parseInt(mnk[2]);
        transA = parts[1].equals("AtB");
        transB = parts[1].equals("ABt");
        k = Mlp.kernels("vector", threads);
        SplittableRandom random = new SplittableRandom(42);
        a = GemmBenchmark.random(random, m * kk);
        b = GemmBenchmark.random(random, kk * n);
        c = new float[m * n];
    }

    @TearDown
    public void tearDown() {
        k.close();
    }

    @Benchmark
    public float[] gemm(GemmBenchmark.Flops flops) {
        k.gemm(transA, transB, m, n, kk, 1f, a, 0, transA ? m : kk, b, 0, transB ? kk : n, 0f, c, 0, n);
        flops.gflops += 2e-9 * m * n * kk;
        return c;
    }
}
