package dev.propel.spark;

import dev.propel.data.Dataset;

/**
 * A worker's gradient computation in a JVM of its own, for {@link ScalarFallbackTest}: prints the
 * gradient of the first 32 blob examples at the model's initial weights, one value per line.
 */
public final class ScalarWorkerMain {
    private ScalarWorkerMain() {
    }

    public static void main(String[] args) {
        for (float v : gradient(ExecutorPropel.get()).gradient()) System.out.println(v);
    }

    static ShardGradient gradient(dev.propel.Propel propel) {
        Dataset data = TinyData.blobs(32, 5);
        Workers.Worker w = Workers.create(propel, ShippedSpec.of(TinyData.mlp()));
        float[] weights = FlatParameters.values(propel.build(TinyData.mlp(), 11).trainingSession(0).parameters());
        return ShardStep.gradient(w, weights, new float[0], data.features().data().clone(), data.targets().data().clone(),
                data.labels(), 32, 64, new int[]{TinyData.FEATURES});
    }
}
