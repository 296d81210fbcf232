package dev.propel.bench;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;
import dev.propel.model.ModelSpec;
import dev.propel.tensor.Tensor;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * The network of the training and inference benchmarks (as {@code examples/mlp.json},
 * {@code propel bench train} and {@code tools/bench/reference/torch_mlp.py}): 784-512-512-10 with
 * ReLU, softmax cross-entropy, Adam lr 1e-3. {@code fused} puts the ReLUs into the dense layers
 * ({@code activation = relu}); otherwise they are separate layers. Data is synthetic: the cost of a
 * step does not depend on the pixel values.
 */
final class Mlp {
    static final int INPUTS = 784;
    static final int HIDDEN = 512;
    static final int CLASSES = 10;

    private Mlp() {
    }

    static ModelSpec spec(boolean fused) {
        ModelSpec.Builder b = ModelSpec.builder().input(INPUTS);
        if (fused) {
            b.layer("dense", Map.of("units", HIDDEN, "activation", "relu"))
                    .layer("dense", Map.of("units", HIDDEN, "activation", "relu"));
        } else {
            b.layer("dense", Map.of("units", HIDDEN)).layer("relu")
                    .layer("dense", Map.of("units", HIDDEN)).layer("relu");
        }
        return b.layer("dense", Map.of("units", CLASSES)).loss("cross_entropy").build();
    }

    /** {@code vector} kernels with the given threads, or the {@code scalar} reference. */
    static Kernels kernels(String kind, int threads) {
        return switch (kind) {
            case "vector" -> KernelsProvider.create(threads);
            case "scalar" -> KernelsProvider.scalar();
            default -> throw new IllegalArgumentException("kernels must be vector or scalar, got " + kind);
        };
    }

    static Propel propel(Kernels kernels) {
        return Propel.builder().kernels(kernels).build();
    }

    /** n images with pixels uniform in [0, 1) and random labels. */
    static Dataset data(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(n, INPUTS);
        for (int i = 0; i < x.size(); i++) x.data()[i] = (float) random.nextDouble();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = random.nextInt(CLASSES);
        return Dataset.classification("synthetic", x, labels, CLASSES);
    }
}
