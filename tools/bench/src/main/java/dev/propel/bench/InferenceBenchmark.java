package dev.propel.bench;

import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.tensor.Tensor;

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
 * Inference of the 784-512-512-10 MLP ({@link Mlp}) through one reused inference session:
 * microseconds per call for a batch of {@code batch} random inputs. Batch 1 is the latency; for batch
 * 10000, samples/s = 10000 / score · 1e6.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class InferenceBenchmark {

    @Param({"1", "10000"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private Propel propel;
    private ModelSession session;
    private Tensor x;

    @Setup
    public void setUp() {
        propel = Mlp.propel(Mlp.kernels("vector", threads));
        Model model = propel.build(Mlp.spec(true), 1);
        session = model.inferenceSession();
        x = Tensor.zeros(batch, Mlp.INPUTS);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < x.size(); i++) x.data()[i] = (float) random.nextDouble();
    }

    @TearDown
    public void tearDown() {
        propel.close();
    }

    @Benchmark
    public Tensor forward() {
        return session.forward(x);
    }
}
