package dev.propel.data;

import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Examples held in memory: features {@code [n, ...]} and targets {@code [n, t]}. A classification
 * dataset also keeps its integer labels, and its targets are their one-hot rows.
 */
public final class Dataset {
    private final String name;
    private final Tensor features;
    private final Tensor targets;
    private final int[] labels;
    private final int classes;

    private Dataset(String name, Tensor features, Tensor targets, int[] labels, int classes) {
        if (features.rows() != targets.rows()) {
            throw new ShapeException("dataset '" + name + "': " + features.rows() + " feature rows but "
                    + targets.rows() + " target rows");
        }
        this.name = name;
        this.features = features;
        this.targets = targets;
        this.labels = labels;
        this.classes = classes;
    }

    /** A classification dataset; labels must lie in {@code [0, classes)}. */
    public static Dataset classification(String name, Tensor features, int[] labels, int classes) {
        if (labels.length != features.rows()) {
            throw new ShapeException("dataset '" + name + "': " + features.rows() + " feature rows but " + labels.length + " labels");
        }
        requireOneHotFits(name, labels, classes);
        Tensor oneHot = Tensor.zeros(labels.length, classes);
        float[] t = oneHot.data();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("dataset '" + name + "': label " + labels[i] + " of example " + i
                        + " is outside [0, " + classes + ")");
            }
            t[i * classes + labels[i]] = 1f;
        }
        return new Dataset(name, features, oneHot, labels.clone(), classes);
    }

    /**
     * Refuses a one-hot matrix that could not be allocated (more than an eighth of the heap, or more
     * floats than an array holds) before trying: one hostile label of 16,000,000 in a data file would
     * otherwise ask for examples x 16M floats. The message names the largest label.
     */
    private static void requireOneHotFits(String name, int[] labels, int classes) {
        long cells = (long) labels.length * classes;
        if (cells <= Integer.MAX_VALUE - 8 && cells * Float.BYTES <= Runtime.getRuntime().maxMemory() / 8) return;
        int largest = 0;
        for (int i = 1; i < labels.length; i++) if (labels[i] > labels[largest]) largest = i;
        throw new DataFormatException(String.format(java.util.Locale.ROOT, "dataset '%s': %,d classes (the largest label, of example %d, "
                + "is %,d) would make one-hot targets of %,d x %,d floats, more than this JVM can hold; class labels are 0 .. C-1 for "
                + "a model with C outputs, so the label is likely damaged", name, classes, largest,
                labels.length == 0 ? 0 : labels[largest], labels.length, classes));
    }

    /** A dataset with real-valued targets {@code [n, t]}. */
    public static Dataset regression(String name, Tensor features, Tensor targets) {
        return new Dataset(name, features, targets, null, 0);
    }

    /** A name for messages and reports, e.g. {@code "fashion-mnist train"} or the CSV file's name. */
    public String name() {
        return name;
    }

    /** The number of examples (rows). */
    public int size() {
        return features.rows();
    }

    /** The features, {@code [size, ...featureShape]}, one example per row. */
    public Tensor features() {
        return features;
    }

    /**
     * The targets, {@code [size, classes]} one-hot rows for classification or {@code [size, outputs]} for regression.
     */
    public Tensor targets() {
        return targets;
    }

    /** Per-example feature shape. */
    public Shape featureShape() {
        return features.shape().withoutBatch();
    }

    /** Whether examples carry class labels ({@link #labels()}), rather than regression targets only. */
    public boolean isClassification() {
        return labels != null;
    }

    /** Integer labels (a copy is not made: do not modify); null for regression data. */
    public int[] labels() {
        return labels;
    }

    /** The number of classes (labels are {@code 0..classes-1}); 0 for regression data. */
    public int classes() {
        return classes;
    }

    /** Examples {@code indices[from .. from+count)} copied into the given buffers (rows >= count). */
    public void copyRows(int[] indices, int from, int count, float[] featureOut, float[] targetOut, int[] labelOut) {
        int fr = features.rowSize();
        int tr = targets.rowSize();
        for (int i = 0; i < count; i++) {
            int src = indices[from + i];
            System.arraycopy(features.data(), src * fr, featureOut, i * fr, fr);
            System.arraycopy(targets.data(), src * tr, targetOut, i * tr, tr);
            if (labelOut != null && labels != null) labelOut[i] = labels[src];
        }
    }

    /** How many examples each class has: {@code counts[c]} for {@code c} in {@code [0, classes)}. */
    public int[] classCounts() {
        if (labels == null) {
            throw new IllegalStateException("dataset '" + name + "' has real-valued targets, so it has no classes to count");
        }
        int[] counts = new int[classes];
        for (int y : labels) counts[y]++;
        return counts;
    }

    /** The examples at {@code indices}, in that order, as a new dataset. */
    public Dataset select(int[] indices, String newName) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= size()) {
                throw new IndexOutOfBoundsException("dataset '" + name + "': index " + indices[i] + " at position " + i
                        + " is outside [0, " + size() + ")");
            }
        }
        int fr = features.rowSize();
        int tr = targets.rowSize();
        float[] f = new float[indices.length * fr];
        float[] t = new float[indices.length * tr];
        copyRows(indices, 0, indices.length, f, t, null);
        Tensor ft = Tensor.wrap(f, featureShape().withBatch(indices.length));
        Tensor tt = Tensor.wrap(t, Shape.of(indices.length, tr));
        int[] l = null;
        if (labels != null) {
            l = new int[indices.length];
            for (int i = 0; i < indices.length; i++) l[i] = labels[indices[i]];
        }
        return new Dataset(newName, ft, tt, l, classes);
    }

    /** The first {@code n} examples (or all, if there are fewer). */
    public Dataset head(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("dataset '" + name + "': head needs a count >= 0, got " + n);
        }
        int m = Math.min(n, size());
        int[] idx = new int[m];
        Arrays.setAll(idx, i -> i);
        return select(idx, name);
    }

    /**
     * Splits off a random {@code fraction} of the examples (e.g. 0.1) as validation data, reproducibly
     * from {@code seed}.
     */
    public Split split(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        }
        int[] order = Shuffle.permutation(size(), new SplittableRandom(seed));
        int nVal = (int) Math.round(size() * fraction);
        if (nVal == 0 || nVal == size()) {
            throw new IllegalArgumentException("validation fraction " + fraction + " of " + size()
                    + " examples leaves an empty part; use a larger dataset or another fraction");
        }
        int[] val = Arrays.copyOfRange(order, 0, nVal);
        int[] train = Arrays.copyOfRange(order, nVal, order.length);
        return new Split(select(train, name + "/train"), select(val, name + "/validation"));
    }

    /**
     * The same examples seen with another per-example shape of the same size, row-major and without
     * copying: Fashion-MNIST's {@code [784]} rows as {@code [1, 28, 28]} images for a convolutional
     * model, or as {@code [28, 28]} sequences of 28 steps for a recurrent one.
     */
    public Dataset withFeatureShape(Shape shape) {
        if (shape.size() != featureShape().size()) {
            throw new ShapeException("dataset '" + name + "': cannot see examples of shape " + featureShape() + " ("
                    + featureShape().size() + " values) as " + shape + " (" + shape.size() + " values)");
        }
        if (shape.equals(featureShape())) return this;
        return new Dataset(name, features.view(shape.withBatch(size())), targets, labels, classes);
    }

    /**
     * This dataset as a model of input shape {@code modelInput} takes it: seen in that shape when only
     * the layout differs (same number of values per example), unchanged otherwise, so that a size
     * mismatch is still reported by the caller's own check.
     */
    public Dataset shapedFor(Shape modelInput) {
        return modelInput.size() == featureShape().size() ? withFeatureShape(modelInput) : this;
    }

    /** A training part and a validation part. */
    public record Split(Dataset train, Dataset validation) {
    }

    @Override
    public String toString() {
        return "Dataset '" + name + "' (" + size() + " examples of " + featureShape()
                + (labels != null ? ", " + classes + " classes)" : ", targets " + targets.shape().withoutBatch() + ")");
    }
}
