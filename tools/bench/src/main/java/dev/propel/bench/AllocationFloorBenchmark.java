package dev.propel.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The floor under {@code -prof gc}'s {@code gc.alloc.rate.norm} for an operation that allocates nothing: the
 * harness allocates a few kilobytes of its own per iteration (results, the profiler's counters), which the
 * profiler divides by the operations of that iteration. An operation of milliseconds, such as a training step
 * in {@link TrainStepBenchmark}, therefore reads a few bytes per operation even when it allocates none. Run this
 * with the same {@code -r} and a {@code tokens} that makes it as long as the step it is compared with (see
 * docs/benchmarks.md): equal figures mean the step's own allocation is zero.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class AllocationFloorBenchmark {
    /** Blackhole CPU tokens per operation; the default takes roughly 4 ms here, as an MLP training step. */
    @Param({"2000000"})
    public long tokens;

    @Benchmark
    public void burn() {
        Blackhole.consumeCPU(tokens);
    }
}
