package dev.propel.standard.optim;

import dev.propel.Propel;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;
import dev.propel.spi.Optimizer;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.RandomTensors;
import dev.propel.testkit.TensorAsserts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.propel.standard.Standard.KERNELS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Parameters of at least {@link StatefulOptimizer#PARALLEL_MIN} values are updated by all kernel threads,
 * and every optimizer gives the same bits on one thread, on three, and with the scalar kernels.
 */
class ParallelUpdateTest {
    private static final Propel VECTOR = Propel.builder().threads(1).warnings(w -> { }).build();
    private static final Kernels ONE_THREAD = KernelsProvider.create(1, w -> { });
    private static final Kernels THREE_THREADS = KernelsProvider.create(3, w -> { });

    @AfterAll
    static void close() {
        VECTOR.close();
        ONE_THREAD.close();
        THREE_THREADS.close();
    }

    /** A parameter below the split threshold, one at it, and one well above with a tail. */
    private static List<Parameter> parameters() {
        SplittableRandom rng = new SplittableRandom(11);
        List<Parameter> params = new ArrayList<>();
        int[] sizes = {StatefulOptimizer.PARALLEL_MIN - 1, StatefulOptimizer.PARALLEL_MIN, 200_003};
        for (int i = 0; i < sizes.length; i++) {
            params.add(new Parameter("p" + i, RandomTensors.normal(rng, sizes[i]), RandomTensors.normal(rng, sizes[i])));
        }
        return params;
    }

    /** Three steps of a fresh optimizer made by {@code propel}, run on {@code kernels}: the weights, then the state. */
    private static List<Tensor> threeSteps(Propel propel, Kernels kernels, String type, Map<String, ?> attributes) {
        Optimizer o = propel.optimizer(type, attributes);
        List<Parameter> params = parameters();
        for (int s = 0; s < 3; s++) o.step(params, o.learningRate() * (s + 1), kernels);
        List<Tensor> out = new ArrayList<>();
        params.forEach(p -> out.add(p.value()));
        out.addAll(o.state().values());
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.propel.standard.optim.OptimizersTest#optimizers")
    void resultsDoNotDependOnThreadsOrKernels(String type, Map<String, ?> attributes, List<String> slots) {
        List<Tensor> scalar = threeSteps(dev.propel.standard.Standard.PROPEL, KERNELS, type, attributes);
        List<Tensor> one = threeSteps(VECTOR, ONE_THREAD, type, attributes);
        List<Tensor> three = threeSteps(VECTOR, THREE_THREADS, type, attributes);
        assertEquals(3 + 3 * slots.size(), scalar.size());
        for (int i = 0; i < scalar.size(); i++) {
            TensorAsserts.assertBitwiseEqual(type + " tensor " + i + ", one thread", scalar.get(i), one.get(i));
            TensorAsserts.assertBitwiseEqual(type + " tensor " + i + ", three threads", scalar.get(i), three.get(i));
        }
    }

    @Test
    void everyParameterIsHandedToTheKernelThreadsWithTheSplitThreshold() {
        List<int[]> calls = new ArrayList<>();
        Kernels spy = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[]{Kernels.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("parallelRanges")) calls.add(new int[]{(int) args[0], (int) args[1]});
                    try {
                        return method.invoke(THREE_THREADS, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Optimizer adam = VECTOR.optimizer("adam", Map.of());
        adam.step(parameters(), 1e-3f, spy);
        assertEquals(3, calls.size());
        int[] sizes = {StatefulOptimizer.PARALLEL_MIN - 1, StatefulOptimizer.PARALLEL_MIN, 200_003};
        for (int i = 0; i < 3; i++) {
            assertEquals(sizes[i], calls.get(i)[0]);
            assertEquals(1 << 16, calls.get(i)[1], "the split threshold measured in the core's kernels before the move");
        }
    }
}
