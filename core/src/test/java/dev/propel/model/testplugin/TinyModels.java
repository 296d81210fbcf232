package dev.propel.model.testplugin;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.kernel.KernelsProvider;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Tensor;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Ready-made registries, specs, data and trained models on {@link TinyPlugin}, for format tests. */
public final class TinyModels {
    private TinyModels() {
    }

    /** A registry with only {@link TinyPlugin} and the scalar kernels. */
    public static Propel propel() {
        return Propel.builder().kernels(KernelsProvider.scalar()).discoverPlugins(false).plugin(new TinyPlugin()).build();
    }

    /** {@code [features] → affine(hidden) → tanh → shift(all attribute kinds) → affine(outputs)}, mse, heavy_ball. */
    public static ModelSpec spec(int features, int hidden, int outputs) {
        return ModelSpec.builder().input(features)
                .layer("affine", Map.of("units", hidden))
                .layer("tanh")
                .layer("shift", Map.of("factor", 0.75f, "enabled", true, "repeat", 3, "mode", "ünïcødé ✓",
                        "axes", List.of(0, -1), "weights", List.of(0.5f, Float.MIN_VALUE, -0f), "tags", List.of("a", "b c")))
                .layer("affine", Map.of("units", outputs))
                .loss("mse")
                .optimizer("heavy_ball", Map.of("learning_rate", 0.05f, "momentum", 0.9f))
                .build();
    }

    /** A small spec: 4 features, 8 hidden, 2 outputs. */
    public static ModelSpec spec() {
        return spec(4, 8, 2);
    }

    /** {@code n} examples of {@code features} random inputs with smooth regression targets. */
    public static Dataset data(int n, int features, int outputs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * features];
        float[] y = new float[n * outputs];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < features; j++) {
                x[i * features + j] = (float) r.nextDouble(-1, 1);
                s += x[i * features + j] * (j + 1);
            }
            for (int o = 0; o < outputs; o++) y[i * outputs + o] = (float) Math.sin(s * (o + 1) / features);
        }
        return Dataset.regression("tiny-" + seed, Tensor.of(x, n, features), Tensor.of(y, n, outputs));
    }

    /** A model of {@link #spec()} trained for {@code epochs} epochs, saved with optimizer state and provenance. */
    public static SavedModel trained(Propel propel, int epochs) {
        ModelSpec spec = spec();
        Model model = propel.build(spec, 7);
        Optimizer opt = propel.optimizer(spec.optimizer().type(), spec.optimizer().attributes());
        Dataset data = data(64, 4, 2, 11);
        TrainingConfig config = TrainingConfig.builder().epochs(epochs).batchSize(16).seed(5).build();
        TrainingHistory history = new Trainer(config).fit(model, opt, data, null);
        return SavedModel.builder(propel, model).optimizer(opt, true)
                .provenance(Provenance.backprop(config, history, data, 1)).build();
    }
}
