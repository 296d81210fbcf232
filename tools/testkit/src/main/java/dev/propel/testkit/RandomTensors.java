package dev.propel.testkit;

import dev.propel.tensor.Tensor;

import java.util.random.RandomGenerator;

/** Random tensors for tests. Every method draws from the generator it is given, so tests are reproducible. */
public final class RandomTensors {
    private RandomTensors() {
    }

    /** Independent N(0, 1) values. */
    public static Tensor normal(RandomGenerator rng, int... dims) {
        return Tensor.randn(rng, 1f, dims);
    }

    /** Independent N(0, std²) values. */
    public static Tensor normal(RandomGenerator rng, float std, int... dims) {
        return Tensor.randn(rng, std, dims);
    }

    /** Independent U(low, high) values. */
    public static Tensor uniform(RandomGenerator rng, float low, float high, int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) rng.nextDouble(low, high);
        return t;
    }

    /**
     * Values with |x| in [minAbs, maxAbs) and a random sign: inputs for functions with a kink at 0
     * (ReLU), so that a finite-difference step of less than {@code minAbs} never crosses the kink.
     */
    public static Tensor awayFromZero(RandomGenerator rng, float minAbs, float maxAbs, int... dims) {
        Tensor t = uniform(rng, minAbs, maxAbs, dims);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) if (rng.nextBoolean()) d[i] = -d[i];
        return t;
    }

    /** Labels uniform in [0, classes). */
    public static int[] labels(RandomGenerator rng, int n, int classes) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = rng.nextInt(classes);
        return l;
    }

    /** {@code [rows, classes]} one-hot rows of random labels. */
    public static Tensor oneHot(RandomGenerator rng, int rows, int classes) {
        return oneHot(labels(rng, rows, classes), classes);
    }

    /** {@code [labels.length, classes]} one-hot rows of the given labels. */
    public static Tensor oneHot(int[] labels, int classes) {
        Tensor t = Tensor.zeros(labels.length, classes);
        for (int r = 0; r < labels.length; r++) t.data()[r * classes + labels[r]] = 1f;
        return t;
    }

    /** {@code [rows, cols]} rows of positive values that sum to 1 (random probability distributions). */
    public static Tensor probabilityRows(RandomGenerator rng, int rows, int cols) {
        Tensor t = uniform(rng, 0.05f, 1f, rows, cols);
        float[] d = t.data();
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += d[r * cols + c];
            for (int c = 0; c < cols; c++) d[r * cols + c] = (float) (d[r * cols + c] / sum);
        }
        return t;
    }
}
