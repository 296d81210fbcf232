package dev.propel.data;

import dev.propel.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A train/test classification dataset stored as four IDX files named as in MNIST:
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}
 * and {@code t10k-labels-idx1-ubyte}, each optionally gzipped ({@code .gz}); the older
 * {@code train-images.idx3-ubyte} spelling is accepted too.
 *
 * <p>Images {@code [n, d1, d2, ...]} become features {@code [n, d1·d2·...]} (flattened). Unsigned-byte
 * pixels are scaled to [0, 1] by dividing by 255; other element types are kept as they are.
 */
public final class IdxDirectory {

    /** The four files, in the order train images, train labels, test images, test labels. */
    public static final List<String> FILE_NAMES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private IdxDirectory() {
    }

    /** "train-images-idx3-ubyte, train-labels-idx1-ubyte, ... (each may end in .gz)". */
    public static String describeFiles() {
        return String.join(", ", FILE_NAMES) + " (each may also be gzipped, ending in .gz)";
    }

    /**
     * Loads the dataset in {@code directory}. {@code classes} is the number of classes, or 0 to take
     * the largest label + 1. The datasets are named {@code <name>/train} and {@code <name>/test}.
     */
    public static TrainTest load(Path directory, String name, int classes) {
        if (!Files.isDirectory(directory)) {
            throw new DataNotFoundException(Files.exists(directory)
                    ? directory + " is a file, not a directory; pass the directory that holds " + describeFiles()
                    : "directory " + directory + " does not exist; pass a directory that holds " + describeFiles());
        }
        List<Path> files = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String stem : FILE_NAMES) {
            Path found = find(directory, stem);
            if (found == null) missing.add(stem);
            files.add(found);
        }
        if (!missing.isEmpty()) {
            throw new DataNotFoundException("directory " + directory + " lacks " + String.join(", ", missing)
                    + " (plain or .gz); an IDX dataset directory holds the four files " + describeFiles());
        }
        return fromIdx(name, classes,
                IdxReader.read(files.get(0)), IdxReader.read(files.get(1)),
                IdxReader.read(files.get(2)), IdxReader.read(files.get(3)));
    }

    /**
     * Loads the four files from the class path, under {@code resourcePrefix} (e.g.
     * {@code "/dev/propel/data/fashion-mnist-sample/"}), each gzipped with the {@code .gz} ending.
     */
    public static TrainTest loadResources(Class<?> anchor, String resourcePrefix, String name, int classes) {
        IdxData[] parts = new IdxData[FILE_NAMES.size()];
        for (int i = 0; i < parts.length; i++) {
            String resource = resourcePrefix + FILE_NAMES.get(i) + ".gz";
            try (InputStream in = anchor.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new DataNotFoundException("class-path resource " + resource + " is missing; the jar that should "
                            + "contain it (propel-core) is incomplete or not on the class path");
                }
                parts[i] = IdxReader.read(in, "class-path resource " + resource);
            } catch (IOException e) {
                throw new DataException("cannot read class-path resource " + resource + ": " + e, e);
            }
        }
        return fromIdx(name, classes, parts[0], parts[1], parts[2], parts[3]);
    }

    /** Pairs images with labels; checks counts, label types and label range. */
    public static TrainTest fromIdx(String name, int classes, IdxData trainImages, IdxData trainLabels,
                                    IdxData testImages, IdxData testLabels) {
        if (classes < 0) {
            throw new IllegalArgumentException("classes must be >= 1, or 0 to infer it from the labels; got " + classes);
        }
        int[] trainY = labels(trainLabels, trainImages);
        int[] testY = labels(testLabels, testImages);
        int n = classes;
        if (n == 0) {
            n = Math.max(max(trainY), max(testY)) + 1;
            if (n <= 0) {
                throw new DataFormatException(trainLabels.source() + " and " + testLabels.source()
                        + " hold no labels, so the number of classes cannot be inferred; give it explicitly");
            }
        }
        checkRange(trainLabels, trainY, n, classes == 0);
        checkRange(testLabels, testY, n, classes == 0);
        checkItemShape(trainImages, testImages);
        return new TrainTest(
                Dataset.classification(name + "/train", features(trainImages), trainY, n),
                Dataset.classification(name + "/test", features(testImages), testY, n));
    }

    private static Path find(Path directory, String stem) {
        String dotted = stem.replaceFirst("-idx", ".idx");
        for (String candidate : List.of(stem, stem + ".gz", dotted, dotted + ".gz")) {
            Path p = directory.resolve(candidate);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static int[] labels(IdxData labels, IdxData images) {
        if (labels.dims().length != 1) {
            throw new DataFormatException(labels.source() + ": a labels file has one dimension [n] but this one has "
                    + Arrays.toString(labels.dims()) + "; is it an images file?");
        }
        if (!labels.type().isInteger()) {
            throw new DataFormatException(labels.source() + ": labels must be integers but the file holds " + labels.type());
        }
        if (images.dims().length < 2) {
            throw new DataFormatException(images.source() + ": an images file has dimensions [n, rows, cols] (or at least "
                    + "[n, features] but this one has " + Arrays.toString(images.dims()) + "; is it a labels file?");
        }
        if (labels.count() != images.count()) {
            throw new DataFormatException("label count differs from image count: " + labels.source() + " has "
                    + labels.count() + " labels but " + images.source() + " has " + images.count()
                    + " images; the two files must come from the same dataset split");
        }
        return labels.toInts();
    }

    private static void checkRange(IdxData source, int[] labels, int classes, boolean inferred) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new DataFormatException(source.source() + ": label " + i + " is " + labels[i] + " but labels must lie in [0, "
                        + classes + ")" + (inferred ? "" : " for a dataset of " + classes + " classes"));
            }
        }
    }

    private static void checkItemShape(IdxData train, IdxData test) {
        int[] a = Arrays.copyOfRange(train.dims(), 1, train.dims().length);
        int[] b = Arrays.copyOfRange(test.dims(), 1, test.dims().length);
        if (!Arrays.equals(a, b)) {
            throw new DataFormatException("training images " + train.source() + " are " + Arrays.toString(a)
                    + " but test images " + test.source() + " are " + Arrays.toString(b) + "; both must have the same size");
        }
    }

    /** Flattened features, unsigned bytes scaled to [0, 1]. */
    static Tensor features(IdxData images) {
        float divisor = images.type() == IdxType.UNSIGNED_BYTE ? 255f : 1f;
        return images.toTensor(divisor).reshape(images.count(), images.shape().rowSize());
    }

    private static int max(int[] a) {
        int m = -1;
        for (int v : a) m = Math.max(m, v);
        return m;
    }
}
