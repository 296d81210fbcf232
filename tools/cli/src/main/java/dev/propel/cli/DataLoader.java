package dev.propel.cli;

import dev.propel.data.CsvReader;
import dev.propel.data.DataSources;
import dev.propel.data.Dataset;
import dev.propel.data.FashionMnist;
import dev.propel.data.TrainTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the CLI's {@code --data} values lead: the core's {@link DataSources}, or a CSV file (a value ending in
 * {@code .csv}) read by the core's {@link CsvReader} with the {@link CsvOptions}.
 */
final class DataLoader {
    /** Where the {@code dataset-fashion-mnist} Debian package installs the data. */
    static final Path INSTALLED_FASHION_MNIST = FashionMnist.INSTALLED_DIRECTORY;

    private DataLoader() {
    }

    /** The seed of the 20% of a CSV file held out as the test split when no {@code --test-data} is given. */
    static final long HOLD_OUT_SEED = 0;
    static final double HOLD_OUT_FRACTION = 0.2;

    /** {@code fashion-mnist}, {@code sample}, or a directory of IDX files, as train and test splits. */
    static TrainTest load(String source) {
        return DataSources.resolve(source);
    }

    /**
     * As {@link #load(String)}, and a CSV file: its rows are the training split, the test split is
     * {@code --test-data} or else a seeded 20% of the rows held out.
     */
    static TrainTest load(String source, CsvOptions csv) {
        if (!isCsv(source)) {
            csv.requireUnused(source);
            return load(source);
        }
        CsvReader reader = csv.reader();
        Dataset all = reader.read(Path.of(source));
        if (csv.testData == null) {
            Dataset.Split split = all.split(HOLD_OUT_FRACTION, HOLD_OUT_SEED);
            return new TrainTest(split.train(), split.validation());
        }
        Dataset test = reader.read(csv.testData);
        int classes = Math.max(all.classes(), test.classes());
        if (all.classes() != classes) all = reader.classes(classes).read(Path.of(source));
        if (test.classes() != classes) test = reader.classes(classes).read(csv.testData);
        if (!all.featureShape().equals(test.featureShape())) {
            throw new IllegalArgumentException("--test-data " + csv.testData + " has " + test.featureShape().size()
                    + " feature columns but --data " + source + " has " + all.featureShape().size() + "; both need the same columns");
        }
        return new TrainTest(all, test);
    }

    /** The examples to measure or predict: a CSV file whole, otherwise the source's test split. */
    static Dataset loadTest(String source, CsvOptions csv) {
        if (isCsv(source)) return csv.reader().read(Path.of(source));
        csv.requireUnused(source);
        return load(source).test();
    }

    static boolean isCsv(String source) {
        return source.toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    /** The full installed Fashion-MNIST when present, otherwise the bundled sample. */
    static String quickstartSource() {
        return quickstartSource(INSTALLED_FASHION_MNIST);
    }

    static String quickstartSource(Path installed) {
        return Files.isDirectory(installed) ? FashionMnist.ALIAS : FashionMnist.SAMPLE_ALIAS;
    }
}
