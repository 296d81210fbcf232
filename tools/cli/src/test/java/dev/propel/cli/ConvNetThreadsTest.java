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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
            Model model = propel.build(ModelSpecJson.read(Path.of("../../examples/" + network + ".json")), 1);
            Kernels k = model.kernels();
            Assumptions.assumeTrue(k.vectorized(), "the vector kernels (the scalar ones never split): " + k.name());
            assertEquals(threads, k.threads(), k.name());
            ModelSession session = model.trainingSession(1);
            List<Parameter> params = session.parameters();
            Optimizer adam = propel.optimizer("adam", Map.of("learning_rate", 0.001));
            Tensor x = Tensor.zeros(model.inputShape().withBatch(BATCH));
            SplittableRandom random = new SplittableRandom(5);
            for (int i = 0; i < x.size(); i++) x.data()[i] = (float) random.nextDouble();
            Tensor target = Tensor.zeros(model.outputShape().withBatch(BATCH));
            for (int n = 0; n < BATCH; n++) target.data()[n * 10 + n % 10] = 1;
            Tensor grad = Tensor.zeros(target.shape());
            List<float[]> seen = new ArrayList<>();
            for (int step = 0; step < 3; step++) {
                Tensor out = session.forward(x);
                seen.add(out.toArray());
                model.loss().compute(out, target, grad, k);
                session.zeroGradients();
                session.backward(grad);
                adam.step(params, 0.001f, k);
            }
            for (Parameter p : params) seen.add(p.value().toArray());
            return seen;
        }
    }
}
