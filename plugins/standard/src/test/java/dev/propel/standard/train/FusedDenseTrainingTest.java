package dev.propel.standard.train;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.kernel.VectorKernels;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.TensorAsserts;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A model whose dense layers carry {@code activation = relu} trains to bitwise the same weights as
 * the same model written with separate relu layers (given the same starting weights), at one and two
 * threads: fusing the epilogue changes the speed, never the result.
 */
class FusedDenseTrainingTest {

    private static ModelSpec fused(int dims) {
        return ModelSpec.builder().input(dims)
                .layer("dense", Map.of("units", 48, "activation", "relu"))
                .layer("dense", Map.of("units", 40, "activation", "relu"))
                .layer("dense", Map.of("units", 10))
                .loss("cross_entropy").build();
    }

    private static ModelSpec unfused(int dims) {
        return ModelSpec.builder().input(dims)
                .layer("dense", Map.of("units", 48)).layer("relu")
                .layer("dense", Map.of("units", 40)).layer("relu")
                .layer("dense", Map.of("units", 10))
                .loss("cross_entropy").build();
    }

    /** Fused layer i is unfused layer 2i. */
    private static final Map<String, String> UNFUSED_NAME = Map.of("dense_0", "dense_0", "dense_1", "dense_2", "dense_2", "dense_4");

    @Test
    void fusedAndUnfusedModelsTrainToTheSameBits() {
        Dataset data = TrainerTest.prototypes(700, 37, 3);
        for (int threads : new int[] {1, 2}) {
            try (Propel propel = Propel.builder().kernels(new VectorKernels(threads)).build()) {
                Model a = propel.build(fused(37), 11);
                Model b = propel.build(unfused(37), 99);
                a.parameters().forEach((name, value) -> {
                    int dot = name.indexOf('.');
                    b.parameters().get(UNFUSED_NAME.get(name.substring(0, dot)) + name.substring(dot)).copyFrom(value);
                });
                TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(64).seed(4).build();
                TrainingHistory ha = new Trainer(config).fit(a, propel.optimizer("adam", Map.of()), data, null);
                TrainingHistory hb = new Trainer(config).fit(b, propel.optimizer("adam", Map.of()), data, null);
                assertEquals(hb.epochs().getLast().trainLoss(), ha.epochs().getLast().trainLoss(), "loss at " + threads + " threads");
                a.parameters().forEach((name, value) -> {
                    int dot = name.indexOf('.');
                    Tensor other = b.parameters().get(UNFUSED_NAME.get(name.substring(0, dot)) + name.substring(dot));
                    TensorAsserts.assertBitwiseEqual(name + " at " + threads + " threads", other, value);
                });
            }
        }
    }
}
