package dev.propel.spark;

import dev.propel.data.Dataset;
import dev.propel.model.ModelSpec;
import dev.propel.tensor.Tensor;

import java.util.Map;
import java.util.SplittableRandom;

/** A small classification problem and model for the tests: 3 Gaussian blobs in 12 dimensions, a 12-16-3 MLP. */
final class TinyData {
    static final int FEATURES = 12;
    static final int CLASSES = 3;

    private TinyData() {
    }

    static Dataset blobs(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * FEATURES];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(CLASSES);
            for (int j = 0; j < FEATURES; j++) {
                float centre = (j % CLASSES == labels[i]) ? 1.5f : 0f;
                x[i * FEATURES + j] = centre + (float) gaussian(rng);
            }
        }
        return Dataset.classification("blobs", Tensor.of(x, n, FEATURES), labels, CLASSES);
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    static ModelSpec mlp() {
        return ModelSpec.builder().input(FEATURES)
                .layer("dense", Map.of("units", 16))
                .layer("relu")
                .layer("dense", Map.of("units", CLASSES))
                .loss("cross_entropy")
                .build();
    }

    /** The MLP with a {@code batch_norm} after the hidden dense layer: 12-16-BN-relu-3, layer state of 16 + 16 + 1 values. */
    static ModelSpec batchNormMlp() {
        return ModelSpec.builder().input(FEATURES)
                .layer("dense", Map.of("units", 16))
                .layer("batch_norm")
                .layer("relu")
                .layer("dense", Map.of("units", CLASSES))
                .loss("cross_entropy")
                .build();
    }
}
