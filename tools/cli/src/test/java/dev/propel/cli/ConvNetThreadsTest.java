package dev.propel.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.propel.Propel;
import dev.propel.kernel.Kernels;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.spi.Optimizer;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two reference CNNs of issue 12 give the same bits at 1 and 2 kernel threads: outputs, loss gradients and
 * every parameter after three Adam steps at batch 16, a batch at which the products and the convolution and
 * normalisation loops are split over the threads.
 */
class ConvNetThreadsTest {
    static final int BATCH = 16;

    @ParameterizedTest
    @ValueSource(strings = {"resnet-small", "convnext-small"})
    void oneAndTwoThreadsGiveTheSameBits(String network) {
        List<float[]> one = train(network, 1);
        List<float[]> two = train(network, 2);
        assertTrue(one.size() > 10, "outputs and parameters compared");
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i), two.get(i), network + ": tensor " + i + " differs between 1 and 2 threads");
        }
    }

    /** The outputs of every step, then the parameters after the last one. */
    private static List<float[]> train(String network, int threads) {
        try (Propel propel = Propel.builder().threads(threads).build()) {
            Model model = ConvNetAllocationTest.example(propel, network);
            Kernels k = model.kernels();
            Assumptions.assumeTrue(k.vectorized(), "the vector kernels (the scalar ones never split): " + k.name());
            assertEquals(threads, k.threads(), k.name());
            ModelSession session = model.trainingSession(1);
            List<Parameter> params = session.parameters();
            Optimizer adam = propel.optimizer("adam", Map.of("learning_rate", 0.001));
            Tensor x = ConvNetAllocationTest.images(model, BATCH, 5);
            Tensor target = ConvNetAllocationTest.targets(model, BATCH);
            Tensor grad = Tensor.zeros(target.shape());
            List<float[]> seen = new ArrayList<>();
            for (int step = 0; step < 3; step++) {
                seen.add(ConvNetAllocationTest.step(model, session, params, adam, x, target, grad, k).toArray());
            }
            for (Parameter p : params) seen.add(p.value().toArray());
            return seen;
        }
    }
}
