package dev.propel.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Zalando's Fashion-MNIST: 28×28 grey-scale images of 10 kinds of clothing, 60 000 for training
 * and 10 000 for testing. Features are {@code [n, 784]} floats in [0, 1], labels 0–9 (see
 * {@link #CLASS_NAMES}).
 *
 * <p>{@link #load()} reads the Debian package {@value #DEBIAN_PACKAGE} from {@link #INSTALLED_DIRECTORY};
 * {@link #load(Path)} reads the four IDX files from any directory; {@link #sample()} reads the subset
 * bundled in propel-core (the first 6 000 training and 1 000 test images), which needs no download.
 */
public final class FashionMnist {
    /** The data source name of the full dataset. */
    public static final String ALIAS = "fashion-mnist";
    /** The data source name of the bundled 6000/1000 subset. */
    public static final String SAMPLE_ALIAS = "sample";
    /** The Debian package that installs the full dataset. */
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    /** Where the Debian package puts the IDX files. */
    public static final Path INSTALLED_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");
    /** Ten clothing classes (T-shirt/top to ankle boot). */
    public static final int CLASSES = 10;
    /** Image height in pixels. */
    public static final int ROWS = 28;
    /** Image width in pixels. */
    public static final int COLUMNS = 28;
    /** Pixels per image (784); the features of a flattened image. */
    public static final int PIXELS = ROWS * COLUMNS;
    /** Label {@code i} means {@code CLASS_NAMES.get(i)}. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Where the bundled sample lives on the class path. */
    public static final String SAMPLE_RESOURCES = "/dev/propel/data/fashion-mnist-sample/";
    /** Training images in the bundled sample. */
    public static final int SAMPLE_TRAIN_SIZE = 6000;
    /** Test images in the bundled sample. */
    public static final int SAMPLE_TEST_SIZE = 1000;

    private FashionMnist() {
    }

    /** The full dataset from the installed Debian package. */
    public static TrainTest load() {
        return loadInstalled(INSTALLED_DIRECTORY);
    }

    /** {@link #load()} with the package's directory as a parameter, so tests can point it elsewhere. */
    static TrainTest loadInstalled(Path installed) {
        if (!Files.isDirectory(installed)) {
            throw new DataNotFoundException("Fashion-MNIST is not installed: " + installed + " does not exist. "
                    + "Install it with 'apt-get install " + DEBIAN_PACKAGE + "', or pass a directory that holds the four IDX files "
                    + IdxDirectory.describeFiles() + "; or use '" + SAMPLE_ALIAS + "' for the small subset bundled with Propel");
        }
        return load(installed);
    }

    /** The dataset from a directory holding the four IDX files (see {@link IdxDirectory}). */
    public static TrainTest load(Path directory) {
        TrainTest data;
        try {
            data = IdxDirectory.load(directory, ALIAS, CLASSES);
        } catch (DataNotFoundException e) {
            throw new DataNotFoundException("cannot load Fashion-MNIST: " + e.getMessage() + ". Install the Debian package with "
                    + "'apt-get install " + DEBIAN_PACKAGE + "' (it provides " + INSTALLED_DIRECTORY + ")");
        }
        return checkImageSize(data, directory.toString());
    }

    /** The bundled subset: the first 6 000 training and the first 1 000 test examples, in their original order. */
    public static TrainTest sample() {
        TrainTest data = IdxDirectory.loadResources(FashionMnist.class, SAMPLE_RESOURCES, ALIAS + "-sample", CLASSES);
        return checkImageSize(data, "the bundled sample");
    }

    private static TrainTest checkImageSize(TrainTest data, String where) {
        int perImage = data.train().featureShape().size();
        if (perImage != PIXELS) {
            throw new DataFormatException("the images in " + where + " have " + perImage + " values each but Fashion-MNIST images are "
                    + ROWS + "×" + COLUMNS + " = " + PIXELS + "; is this another dataset? Pass the directory as a plain IDX "
                    + "dataset instead");
        }
        return data;
    }
}
