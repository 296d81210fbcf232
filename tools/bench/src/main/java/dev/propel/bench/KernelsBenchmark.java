package dev.propel.bench;

import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;
import dev.propel.standard.kernel.OptimizerKernels;
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
 * Scalar versus Vector API kernels on about a million elements (1024 rows × 1024 columns): an
 * activation (ReLU), a row-wise transcendental (softmax) and an optimizer step (Adam, the standard
 * plugin's kernel family in the implementation that goes with the core kernels). Scores are
 * microseconds per call; run with {@code -prof gc} to check that the vector kernels allocate nothing
 * (allocation would mean the Vector API fell back to its boxed Java implementation). The Vector API
 * code is very slow until C2 compiles it, hence the longer warmup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class KernelsBenchmark {

    private static final int ROWS = 1024;
    private static final int COLS = 1024;
    private static final int N = ROWS * COLS;

    /** {@code vector} (the Vector API kernels) or {@code scalar} (the plain-Java reference). */
    @Param({"scalar", "vector"})
    public String kernels;

    private Kernels k;
    private OptimizerKernels optimizerKernels;
    private float[] x;
    private float[] y;
    private float[] w;
    private float[] g;
    private float[] m;
    private float[] v;

    @Setup
    public void setUp() {
        k = switch (kernels) {
            case "vector" -> KernelsProvider.create(1);
            case "scalar" -> KernelsProvider.scalar();
            default -> throw new IllegalArgumentException("kernels must be vector or scalar, got " + kernels);
        };
        optimizerKernels = OptimizerKernels.family().select(k);
        SplittableRandom random = new SplittableRandom(7);
        x = GemmBenchmark.random(random, N);
        y = new float[N];
        w = GemmBenchmark.random(random, N);
        g = GemmBenchmark.random(random, N);
        m = new float[N];
        v = new float[N];
    }

    @TearDown
    public void tearDown() {
        k.close();
    }

    @Benchmark
    public float[] relu() {
        k.relu(x, y, N);
        return y;
    }

    @Benchmark
    public float[] softmaxRows() {
        k.softmaxRows(x, y, ROWS, COLS);
        return y;
    }

    /**
     * One Adam step on one thread (as before the update rules moved to the standard plugin); the state keeps
     * evolving between calls, which does not change the work done.
     */
    @Benchmark
    public float[] adamUpdate() {
        optimizerKernels.adam(w, g, m, v, 0, N, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, 0.1f, 0.001f);
        return w;
    }
}
