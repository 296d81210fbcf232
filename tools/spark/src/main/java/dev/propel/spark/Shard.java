package dev.propel.spark;

import dev.propel.data.Dataset;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * The examples of {@code batch} (example indices) that this partition holds, in batch order as the
     * single-machine trainer copies them: their positions in the batch, features, targets and labels (null
     * for regression).
     */
    BatchRows rowsOf(int[] batch) {
        int n = 0;
        for (int example : batch) if (holds(example)) n++;
        int[] positions = new int[n];
        float[] x = new float[n * featureSize];
        float[] t = new float[n * targetSize];
        int[] l = labels == null ? null : new int[n];
        int r = 0;
        for (int position = 0; position < batch.length; position++) {
            int example = batch[position];
            if (!holds(example)) continue;
            int local = example - first;
            positions[r] = position;
            System.arraycopy(features, local * featureSize, x, r * featureSize, featureSize);
            System.arraycopy(targets, local * targetSize, t, r * targetSize, targetSize);
            if (l != null) l[r] = labels[local];
            r++;
        }
        return new BatchRows(n, positions, x, t, l);
    }

    /** A partition's part of a batch (see {@link #rowsOf}). */
    record BatchRows(int rows, int[] positions, float[] features, float[] targets, int[] labels) {
    }

    /**
     * {@code train} cut into {@code partitions} contiguous ranges (fewer when it has fewer examples), one
     * partition each, cached on the executors before this returns.
     */
    static JavaRDD<Shard> cache(JavaSparkContext sc, Dataset train, int partitions) {
        int n = train.size();
        int p = Math.min(partitions, n);
        List<Shard> shards = new ArrayList<>(p);
        for (int i = 0; i < p; i++) {
            int start = (int) ((long) n * i / p);
            int end = (int) ((long) n * (i + 1) / p);
            shards.add(of(train, start, end - start));
        }
        JavaRDD<Shard> data = sc.parallelize(shards, p).persist(StorageLevel.MEMORY_ONLY());
        data.count(); // cache the partitions on the executors now, not in the first step
        return data;
    }
}
