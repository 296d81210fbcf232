package dev.propel.bench;

import dev.propel.Propel;
import dev.propel.cli.ModelSpecJson;
import dev.propel.data.Dataset;
import dev.propel.kernel.Kernels;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.spi.Optimizer;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * One full training step of the 784-512-512-10 MLP ({@link Mlp}) at batch 128, as the
 * {@code Trainer} runs it for every batch: copy the batch's rows out of the dataset, forward, loss
 * with its gradient, argmax for the accuracy, zero the gradients, backward, check the gradients for
 * NaN, Adam step. The batches cycle through 16 batches of synthetic data.
 *
 * <p>Score: microseconds per step (samples/s = 128 / score · 1e6). With {@code -prof gc},
 * {@code gc.alloc.rate.norm} is the bytes allocated per step in steady state, summed over every thread
 * (the kernel pool's workers too); it should be ~0.
 * {@code -p kernels=scalar} gives the scalar fallback (slow: about a second per step).
 * {@code -p spec=examples/resnet-small.json} times the model of a JSON spec instead (any model that takes
 * the 784 pixels, shaped as its input: {@code [1, 28, 28]} for a CNN) with the same step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class TrainStepBenchmark {
    static final int BATCH = 128;
    static final int BATCHES = 16;

    @Param({"1", "2"})
    public int threads;

    /** {@code true}: dense layers with activation=relu; {@code false}: separate relu layers. */
    @Param({"true"})
    public boolean fused;

    @Param({"vector"})
    public String kernels;

    /** A model spec (JSON file, relative to the working directory), or empty for the MLP. */
    @Param({""})
    public String spec;

    private Kernels k;
    private Propel propel;
    private Model model;
    private ModelSession session;
    private List<Parameter> params;
    private Optimizer adam;
    private Dataset data;
    private int[] order;
    private float[] features;
    private float[] targets;
    private float[] gradient;
    private int[] labels;
    private int[] predicted;
    private Tensor x;
    private Tensor t;
    private Tensor g;
    private int next;

    @Setup
    public void setUp() {
        k = Mlp.kernels(kernels, threads);
        propel = Mlp.propel(k);
        model = propel.build(spec.isEmpty() ? Mlp.spec(fused) : ModelSpecJson.read(Path.of(spec)), 1);
        if (model.inputShape().size() != Mlp.INPUTS || model.outputShape().size() != Mlp.CLASSES) {
            throw new IllegalArgumentException(spec + ": the step feeds " + Mlp.INPUTS + " pixels and " + Mlp.CLASSES
                    + " classes, the model takes " + model.inputShape() + " and gives " + model.outputShape());
        }
        session = model.trainingSession(1);
        params = session.parameters();
        adam = propel.optimizer("adam", Map.of("learning_rate", 0.001));
        data = Mlp.data(BATCH * BATCHES, 2);
        order = new int[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        features = new float[BATCH * Mlp.INPUTS];
        targets = new float[BATCH * Mlp.CLASSES];
        gradient = new float[BATCH * Mlp.CLASSES];
        labels = new int[BATCH];
        predicted = new int[BATCH];
        x = Tensor.wrap(features, model.inputShape().withBatch(BATCH));
        t = Tensor.wrap(targets, Shape.of(BATCH, Mlp.CLASSES));
        g = Tensor.wrap(gradient, Shape.of(BATCH, Mlp.CLASSES));
    }

    @TearDown
    public void tearDown() {
        propel.close();
    }

    @Benchmark
    public float step() {
        data.copyRows(order, next * BATCH, BATCH, features, targets, labels);
        next = (next + 1) % BATCHES;
        Tensor out = session.forward(x);
        float loss = model.loss().compute(out, t, g, k);
        k.argmaxRows(out.data(), BATCH, Mlp.CLASSES, predicted);
        session.zeroGradients();
        session.backward(g);
        for (int i = 0; i < params.size(); i++) {
            Tensor grad = params.get(i).gradient();
            if (k.firstNonFinite(grad.data(), grad.size()) >= 0) throw new IllegalStateException("diverged");
        }
        adam.step(params, 0.001f, k);
        return loss;
    }
}
