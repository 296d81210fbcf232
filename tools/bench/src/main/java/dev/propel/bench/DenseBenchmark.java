package dev.propel.bench;

import dev.propel.Propel;
import dev.propel.kernel.Kernels;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.model.ModelSpec;
import dev.propel.tensor.Tensor;

import java.util.Map;
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
 * Dense layers forward and backward: the hidden part of the MLP, 784 → 512 → 512 with ReLU, at batch
 * 128, either fused ({@code dense} with {@code activation = relu}) or as dense + relu layers. The
 * second dense layer computes its input gradient, the first does not (as in training).
 *
 * <p>Scores are microseconds per call: {@code forward} is the training forward pass, and
 * {@code forwardBackward} adds zeroing the gradients and the backward pass.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class DenseBenchmark {
    static final int BATCH = 128;

    @Param({"1", "2"})
    public int threads;

    @Param({"true", "false"})
    public boolean fused;

    private Propel propel;
    private ModelSession session;
    private Tensor x;
    private Tensor dy;

    @Setup
    public void setUp() {
        Kernels k = Mlp.kernels("vector", threads);
        propel = Mlp.propel(k);
        ModelSpec.Builder b = ModelSpec.builder().input(Mlp.INPUTS);
        if (fused) {
            b.layer("dense", Map.of("units", Mlp.HIDDEN, "activation", "relu"))
                    .layer("dense", Map.of("units", Mlp.HIDDEN, "activation", "relu"));
        } else {
            b.layer("dense", Map.of("units", Mlp.HIDDEN)).layer("relu")
                    .layer("dense", Map.of("units", Mlp.HIDDEN)).layer("relu");
        }
        Model model = propel.build(b.loss("mse").build(), 1);
        session = model.trainingSession(1);
        SplittableRandom random = new SplittableRandom(4);
        x = Tensor.randn(random, 1f, BATCH, Mlp.INPUTS);
        dy = Tensor.randn(random, 1f, BATCH, Mlp.HIDDEN);
    }

    @TearDown
    public void tearDown() {
        propel.close();
    }

    @Benchmark
    public Tensor forward() {
        return session.forward(x);
    }

    @Benchmark
    public Tensor forwardBackward() {
        Tensor y = session.forward(x);
        session.zeroGradients();
        session.backward(dy);
        return y;
    }
}
