package dev.propel.train.ff;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.kernel.KernelsProvider;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Tensor;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/** Shared set-up for the Forward-Forward tests: a registry with the test plugin and synthetic data. */
final class FfFixtures {
    private FfFixtures() {
    }

    static Propel propel() {
        return Propel.builder().discoverPlugins(false).plugin(new FfTestPlugin()).kernels(KernelsProvider.scalar()).build();
    }

    /** dense(w)+relu blocks on {@code inputs} features. */
    static Model stack(Propel propel, int inputs, long seed, int... widths) {
        ModelSpec.Builder b = ModelSpec.builder().input(inputs).loss("mse");
        for (int w : widths) {
            b.layer("dense", Map.of("units", w)).layer("relu");
        }
        return propel.build(b.build(), seed);
    }

    static Supplier<Optimizer> sgd(Propel propel, float lr, float momentum) {
        return () -> propel.optimizer("sgd", Map.of("learning_rate", lr, "momentum", momentum));
    }

    /**
     * {@code n} examples of {@code classes} Gaussian blobs in [0, 1]-ish: features {@code classes..features-1} carry the class
     * (the first {@code classes} features are left at 0, as the label embedding overwrites them).
     */
    static Dataset blobs(String name, int n, int classes, int features, long seed) {
        SplittableRandom centresRng = new SplittableRandom(1234);
        float[][] centres = new float[classes][features];
        for (int c = 0; c < classes; c++) {
            for (int j = classes; j < features; j++) centres[c][j] = (float) centresRng.nextDouble();
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * features];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(classes);
            labels[i] = c;
            for (int j = classes; j < features; j++) {
                x[i * features + j] = (float) Math.clamp(centres[c][j] + 0.15 * rng.nextGaussian(), 0, 1);
            }
        }
        return Dataset.classification(name, Tensor.wrap(x, dev.propel.tensor.Shape.of(n, features)), labels, classes);
    }
}
