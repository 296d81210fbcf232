package dev.propel.cli;

import dev.propel.data.CsvReader;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options that apply when {@code --data} names a CSV file: the test file and the label column. */
final class CsvOptions {
    @Option(names = "--test-data", paramLabel = "CSV",
            description = "With --data FILE.csv: the test examples (same columns). Without it, train holds out a seeded 20%% of --data.")
    Path testData;

    @Option(names = "--label-column", paramLabel = "NAME|INDEX",
            description = "With CSV data: the label column, by header name or index from 0 (-1 = last). Default: the column named label, else the last.")
    String labelColumn;

    /** A classification reader for these options. */
    CsvReader reader() {
        CsvReader r = CsvReader.classification();
        if (labelColumn == null) return r;
        return labelColumn.matches("-?\\d+") ? r.labelColumn(Integer.parseInt(labelColumn)) : r.labelColumn(labelColumn);
    }

    /** Refuses CSV options given with a {@code --data} that is not a CSV file, rather than ignore them. */
    void requireUnused(String source) {
        String given = testData != null ? "--test-data" : labelColumn != null ? "--label-column" : null;
        if (given != null) {
            throw new IllegalArgumentException(given + " applies to CSV data, but --data " + source
                    + " is not a CSV file (a name ending in .csv); drop " + given + " or give --data FILE.csv");
        }
    }
}
