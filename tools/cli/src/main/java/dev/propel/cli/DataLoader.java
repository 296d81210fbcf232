package dev.propel.cli;

import dev.propel.data.DataSources;
import dev.propel.data.FashionMnist;
import dev.propel.data.TrainTest;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the CLI's {@code --data} values lead: the core's {@link DataSources}. */
final class DataLoader {
    /** Where the {@code dataset-fashion-mnist} Debian package installs the data. */
    static final Path INSTALLED_FASHION_MNIST = FashionMnist.INSTALLED_DIRECTORY;

    private DataLoader() {
    }

    /** {@code fashion-mnist}, {@code sample}, or a directory of IDX files, as train and test splits. */
    static TrainTest load(String source) {
        return DataSources.resolve(source);
    }

    /** The full installed Fashion-MNIST when present, otherwise the bundled sample. */
    static String quickstartSource() {
        return quickstartSource(INSTALLED_FASHION_MNIST);
    }

    static String quickstartSource(Path installed) {
        return Files.isDirectory(installed) ? FashionMnist.ALIAS : FashionMnist.SAMPLE_ALIAS;
    }
}
