package dev.propel.spark;

import dev.propel.data.Dataset;

import java.io.Serial;
import java.io.Serializable;

/**
 * A contiguous range {@code [first, first + rows)} of the training examples, as one partition of the
 * cached training data: features and targets row-major, labels (null for regression).
 */
record Shard(int first, int rows, int featureSize, int targetSize, float[] features, float[] targets, int[] labels)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Examples {@code [first, first + rows)} of {@code data}. */
    static Shard of(Dataset data, int first, int rows) {
        int fr = data.features().rowSize();
        int tr = data.targets().rowSize();
        float[] f = new float[rows * fr];
        float[] t = new float[rows * tr];
        System.arraycopy(data.features().data(), first * fr, f, 0, rows * fr);
        System.arraycopy(data.targets().data(), first * tr, t, 0, rows * tr);
        int[] labels = null;
        if (data.isClassification()) {
            labels = new int[rows];
            System.arraycopy(data.labels(), first, labels, 0, rows);
        }
        return new Shard(first, rows, fr, tr, f, t, labels);
    }

    boolean holds(int example) {
        return example >= first && example < first + rows;
    }
}
