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
 * Two {@code conv2d} layers forward and backward at batch 128 on the shapes of the CNN issue's reference
 * networks: {@code conv3x3}, resnet-small's first stage (16 → 16 channels, 3x3, padding 1, no bias, on
 * 28x28), and {@code depthwise7x7}, convnext-small's first blocks (32 channels, depthwise 7x7, padding 3, on
 * 14x14). The second layer computes its input gradient, the first does not (as in training).
 *
 * <p>Scores are milliseconds per call: {@code forward} is the training forward pass, {@code forwardBackward}
 * adds zeroing the gradients and the backward pass. {@code -prof gc} shows the allocation per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class Conv2dBenchmark {
    static final int BATCH = 128;

    @Param({"1", "2"})
    public int threads;

    @Param({"conv3x3", "depthwise7x7"})
    public String shape;

    private Propel propel;
    private ModelSession session;
    private Tensor x;
    private Tensor dy;

    @Setup
    public void setUp() {
        Kernels k = Mlp.kernels("vector", threads);
        propel = Mlp.propel(k);
        boolean depthwise = shape.equals("depthwise7x7");
        int channels = depthwise ? 32 : 16;
        int size = depthwise ? 14 : 28;
        Map<String, Object> conv = depthwise
                ? Map.of("out_channels", channels, "kernel_size", 7, "padding", 3, "groups", channels)
                : Map.of("out_channels", channels, "kernel_size", 3, "padding", 1, "bias", false);
        ModelSpec spec = ModelSpec.builder().input(channels, size, size)
                .layer("conv2d", conv).layer("conv2d", conv).loss("mse").build();
        Model model = propel.build(spec, 1);
        session = model.trainingSession(1);
        SplittableRandom random = new SplittableRandom(4);
        x = Tensor.randn(random, 1f, BATCH, channels, size, size);
        dy = Tensor.randn(random, 1f, BATCH, channels, size, size);
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
