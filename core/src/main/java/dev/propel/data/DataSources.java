package dev.propel.data;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns what a user typed (e.g. the CLI's {@code --data}) into a train/test dataset:
 * <ul>
 *   <li>{@code fashion-mnist}: the installed Debian package {@value FashionMnist#DEBIAN_PACKAGE};</li>
 *   <li>{@code sample}: the Fashion-MNIST subset bundled with Propel;</li>
 *   <li>{@code adding:T} or {@code adding:T:SEED}: the adding problem, generated (see {@link AddingProblem});</li>
 *   <li>a directory holding IDX files named as in MNIST (see {@link IdxDirectory}); the number of
 *       classes is the largest label + 1.</li>
 * </ul>
 */
public final class DataSources {
    private DataSources() {
    }

    /** What {@link #resolve} accepts, for help texts and error messages. */
    public static String accepted() {
        return "'" + FashionMnist.ALIAS + "' (Fashion-MNIST from the Debian package " + FashionMnist.DEBIAN_PACKAGE + " in "
                + FashionMnist.INSTALLED_DIRECTORY + "), '" + FashionMnist.SAMPLE_ALIAS + "' (a " + FashionMnist.SAMPLE_TRAIN_SIZE
                + "/" + FashionMnist.SAMPLE_TEST_SIZE + " train/test subset of Fashion-MNIST bundled with Propel), "
                + AddingProblem.describe() + ", or a directory "
                + "holding the IDX files " + IdxDirectory.describeFiles();
    }

    /**
     * Resolves a data source name ({@code fashion-mnist}, {@code sample}, {@code adding:T[:SEED]} or a directory of
     * IDX files, see {@link #accepted()}) to its training and test sets; throws {@link DataNotFoundException} or
     * {@link DataFormatException} naming what is missing or wrong.
     */
    public static TrainTest resolve(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new DataNotFoundException("no data source given; accepted values are " + accepted());
        }
        String s = spec.strip();
        if (s.equals(FashionMnist.ALIAS)) return FashionMnist.load();
        if (s.equals(FashionMnist.SAMPLE_ALIAS)) return FashionMnist.sample();
        if (s.startsWith(AddingProblem.PREFIX)) return AddingProblem.resolve(s);
        Path dir;
        try {
            dir = Path.of(s);
        } catch (InvalidPathException e) {
            throw new DataNotFoundException("unknown data source '" + s + "' (not a valid path: " + e.getReason()
                    + "); accepted values are " + accepted());
        }
        if (Files.isDirectory(dir)) {
            String name = dir.getFileName() != null ? dir.getFileName().toString() : s;
            return IdxDirectory.load(dir, name, 0);
        }
        if (Files.exists(dir)) {
            throw new DataNotFoundException("data source '" + s + "' is a file; pass the directory that holds it and the "
                    + "other IDX files. Accepted values are " + accepted());
        }
        throw new DataNotFoundException("unknown data source '" + s + "': no such alias or directory. Accepted values are "
                + accepted());
    }
}
