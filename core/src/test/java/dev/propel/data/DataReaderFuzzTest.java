package dev.propel.data;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the IDX and CSV readers with Jazzer: any bytes read as IDX data (plain or gzip), and as CSV
 * text for a classification and a regression dataset, or fail with a {@link DataException} naming the
 * source; an OutOfMemoryError, a hang or another exception is a finding. One target for both readers,
 * since Jazzer fuzzes one test per JVM and each JVM costs build time. Plain test runs replay the seeds
 * in {@code DataReaderFuzzTestInputs/}; the build's {@code fuzz} execution fuzzes for a few seconds
 * (docs/format.md, "Fuzzing the readers").
 */
class DataReaderFuzzTest {
    @FuzzTest(maxDuration = "3s")
    void readersAcceptOrRefuseCleanly(byte[] data) {
        try {
            IdxReader.read(new ByteArrayInputStream(data), "fuzz.idx");
        } catch (DataException expected) {
            requireNames(expected, "fuzz.idx");
        }
        String text = new String(data, StandardCharsets.UTF_8);
        for (CsvReader reader : new CsvReader[]{CsvReader.classification(), CsvReader.regression()}) {
            try {
                reader.read(new StringReader(text), "fuzz.csv");
            } catch (DataException expected) {
                requireNames(expected, "fuzz.csv");
            }
        }
    }

    private static void requireNames(DataException e, String source) {
        if (e.getMessage() == null || !e.getMessage().contains(source)) {
            throw new AssertionError("a data error that does not name its source: " + e.getMessage(), e);
        }
    }
}
