package dev.propel.cli;

import dev.propel.data.Dataset;
import dev.propel.data.FashionMnist;
import dev.propel.model.ModelSpec;
import dev.propel.tensor.Tensor;

import java.nio.file.Files;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The network of the training and inference benchmarks, the same as {@code examples/mlp.json} and
 * {@code tools/bench/reference/torch_mlp.py}: 784-512-512-10, ReLU, softmax cross-entropy, Adam
 * (lr 1e-3). By default the ReLUs are fused into the dense layers ({@code activation = relu});
 * {@code unfused} builds them as separate layers. Both compute the same bits.
 */
final class BenchMlp {
    static final int INPUTS = FashionMnist.PIXELS;
    static final int HIDDEN = 512;
    static final int CLASSES = FashionMnist.CLASSES;
    /** Size of Fashion-MNIST's training set, also used for synthetic data. */
    static final int TRAIN_SIZE = 60_000;

    private BenchMlp() {
    }

    static ModelSpec spec(boolean unfused) {
        ModelSpec.Builder b = ModelSpec.builder().input(INPUTS);
        if (unfused) {
            b.layer("dense", Map.of("units", HIDDEN)).layer("relu")
                    .layer("dense", Map.of("units", HIDDEN)).layer("relu");
        } else {
            b.layer("dense", Map.of("units", HIDDEN, "activation", "relu"))
                    .layer("dense", Map.of("units", HIDDEN, "activation", "relu"));
        }
        return b.layer("dense", Map.of("units", CLASSES)).loss("cross_entropy").build();
    }

    static String describe(boolean unfused) {
        return "784-512-512-10 relu mlp" + (unfused ? " (separate relu layers)" : " (relu fused into dense)");
    }

    /**
     * The training data: {@code fashion-mnist} (the installed Debian package) or {@code synthetic}
     * (uniform pixels and random labels of the same shape, for machines without the data; a step
     * costs the same). The first {@code samples} examples are used.
     */
    static Dataset trainingData(String source, int samples) {
        Dataset data = switch (source) {
            case "fashion-mnist" -> {
                if (!Files.isDirectory(FashionMnist.INSTALLED_DIRECTORY)) {
                    throw new IllegalArgumentException("Fashion-MNIST is not installed in "
                            + FashionMnist.INSTALLED_DIRECTORY + "; install it with 'apt-get install -y "
                            + FashionMnist.DEBIAN_PACKAGE + "' or use --data synthetic");
                }
                yield FashionMnist.load().train();
            }
            case "synthetic" -> synthetic(Math.min(samples, TRAIN_SIZE), 1);
            default -> throw new IllegalArgumentException("--data must be fashion-mnist or synthetic, got '" + source + "'");
        };
        return samples < data.size() ? data.head(samples) : data;
    }

    /** {@code fashion-mnist} when the Debian package is installed, else {@code synthetic}. */
    static String defaultData() {
        return Files.isDirectory(FashionMnist.INSTALLED_DIRECTORY) ? "fashion-mnist" : "synthetic";
    }

    /** n random images (pixels uniform in [0, 1)) with random labels. */
    static Dataset synthetic(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(n, INPUTS);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) random.nextDouble();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = random.nextInt(CLASSES);
        return Dataset.classification("synthetic", x, labels, CLASSES);
    }
}
