package dev.propel.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvReaderTest {
    @TempDir
    Path dir;

    private static Dataset read(CsvReader reader, String text) {
        return reader.read(new StringReader(text), "test.csv");
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }

    @Test
    void classificationWithHeaderAndDefaultLastColumn() {
        Dataset d = read(CsvReader.classification(), """
                sepal,petal,species
                5.1,1.4,0
                7.0,4.7,1
                6.3,6.0,2
                """);
        assertEquals(3, d.size());
        assertEquals("[2]", d.featureShape().toString());
        assertArrayEquals(new float[]{5.1f, 1.4f, 7.0f, 4.7f, 6.3f, 6.0f}, d.features().toArray());
        assertArrayEquals(new int[]{0, 1, 2}, d.labels());
        assertEquals(3, d.classes(), "inferred as largest label + 1");
        assertArrayEquals(new float[]{0, 1, 0}, java.util.Arrays.copyOfRange(d.targets().toArray(), 3, 6), "one-hot targets");
    }

    @Test
    void labelColumnByNameOrIndexAndGivenClasses() {
        String text = "label,a,b\n1,10,20\n0,30,40\n";
        Dataset byName = read(CsvReader.classification().labelColumn("label").classes(4), text);
        assertArrayEquals(new int[]{1, 0}, byName.labels());
        assertEquals(4, byName.classes());
        assertArrayEquals(new float[]{10, 20, 30, 40}, byName.features().toArray());

        Dataset byIndex = read(CsvReader.classification().labelColumn(0), text);
        assertArrayEquals(byName.labels(), byIndex.labels());
        Dataset byNegative = read(CsvReader.classification().labelColumn(-3), text);
        assertArrayEquals(byName.labels(), byNegative.labels());
    }

    @Test
    void byDefaultAColumnNamedLabelElseTheLast() {
        Dataset named = read(CsvReader.classification(), "label,a,b\n1,10,20\n0,30,40\n");
        assertArrayEquals(new int[]{1, 0}, named.labels());
        assertArrayEquals(new float[]{10, 20, 30, 40}, named.features().toArray());
        Dataset last = read(CsvReader.classification(), "a,b,c\n10,20,1\n30,40,0\n");
        assertArrayEquals(new int[]{1, 0}, last.labels());
        Dataset noHeader = read(CsvReader.classification(), "2,20,1\n3,40,0\n");
        assertArrayEquals(new int[]{1, 0}, noHeader.labels());
        assertMentions(assertThrows(DataFormatException.class, () -> read(CsvReader.classification(), "label,a,label\n1,2,3\n")),
                "two columns 'label'");
        assertTrue(CsvReader.isHeader(List.of("a", "b")));
        assertFalse(CsvReader.isHeader(List.of("a", "1")));
    }

    @Test
    void regressionWithoutHeaderDetected() {
        Dataset d = read(CsvReader.regression(), "1, 2, 0.5\n3, 4, -1.25e1\n\n  \n5, 6, 7\n");
        assertFalse(d.isClassification());
        assertEquals(3, d.size());
        assertEquals("[3, 1]", d.targets().shape().toString());
        assertArrayEquals(new float[]{0.5f, -12.5f, 7f}, d.targets().toArray());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, d.features().toArray());
    }

    @Test
    void quotedFieldsOtherDelimitersAndByteOrderMark() {
        Dataset d = read(CsvReader.regression().delimiter(';').labelColumn("y"),
                "\uFEFF\"x; first\";\"y\"\n\"1.5\";2\n");
        assertArrayEquals(new float[]{1.5f}, d.features().toArray());
        assertArrayEquals(new float[]{2f}, d.targets().toArray());
    }

    @Test
    void aFirstRowWithABadValueIsReportedNotTakenForAHeader() {
        assertMentions(assertThrows(DataFormatException.class, () -> read(CsvReader.classification(), "1,NaN,0\n2,3,1\n")),
                "test.csv line 1, column 2", "'NaN' is not a number");
        assertMentions(assertThrows(DataFormatException.class, () -> read(CsvReader.classification(), "1,,0\n2,3,1\n")),
                "test.csv line 1, column 2", "the value is empty");
        assertMentions(assertThrows(DataFormatException.class, () -> read(CsvReader.classification(), "0x10,2,0\n2,3,1\n")),
                "test.csv line 1, column 1", "'0x10' is not a number");
        assertMentions(assertThrows(DataFormatException.class, () -> read(CsvReader.regression(), "-Infinity,2,0\n2,3,1\n")),
                "test.csv line 1, column 1");
        assertEquals(1, read(CsvReader.classification(), "x1,x_2,label\n2,3,1\n").size(), "names only: a header");
    }

    @Test
    void aHugeLabelIsRefusedBeforeItsOneHotMatrixIsAllocated() {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 100; i++) csv.append(i).append(',').append(i == 42 ? 16_000_000 : 1).append('\n');
        assertMentions(assertThrows(DataFormatException.class, () -> read(CsvReader.classification(), csv.toString())),
                "16,000,001 classes (the largest label, of example 42, is 16,000,000)", "the label is likely damaged");
    }

    @Test
    void explicitNoHeaderMakesANonNumericFirstLineAnError() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> read(CsvReader.regression().header(false), "a,b\n1,2\n"));
        assertMentions(e, "test.csv line 1, column 1", "'a' is not a number");
    }

    @Test
    void readsFilesAndNamesTheDatasetAfterThem() throws IOException {
        Path p = dir.resolve("points.csv");
        Files.writeString(p, "x,y\n1,0\n2,1\n");
        Dataset d = CsvReader.classification().read(p);
        assertEquals("points.csv", d.name());
        assertEquals(2, d.classes());
        assertMentions(assertThrows(DataNotFoundException.class, () -> CsvReader.classification().read(dir.resolve("missing.csv"))),
                "missing.csv", "does not exist");
    }

    @Test
    void nonNumericValueNamesFileLineAndColumn() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> read(CsvReader.classification(), "w,h,label\n1,2,0\n3,abc,1\n"));
        assertMentions(e, "test.csv line 3, column 2 ('h')", "'abc' is not a number");
    }

    @Test
    void nanInfinityAndJavaSuffixesAreNotNumbers() {
        for (String bad : new String[]{"NaN", "Infinity", "1f", "0x1p3", "1e999"}) {
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> read(CsvReader.regression(), "1,2\n" + bad + ",3\n"), bad);
            assertMentions(e, "line 2, column 1", bad);
        }
    }

    @Test
    void emptyFieldIsAMissingValue() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(CsvReader.regression(), "1,2,3\n4,,6\n"));
        assertMentions(e, "line 2, column 2", "empty", "missing values");
    }

    @Test
    void wrongNumberOfFields() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> read(CsvReader.classification(), "a,b,c\n1,2,0\n1,2\n"));
        assertMentions(e, "test.csv line 3 has 2 fields", "line 1 (the header) has 3");
    }

    @Test
    void emptyFileAndHeaderOnly() {
        assertMentions(assertThrows(DataFormatException.class, () -> read(CsvReader.classification(), "")),
                "test.csv is empty");
        assertMentions(assertThrows(DataFormatException.class, () -> read(CsvReader.classification(), "\n  \n")),
                "test.csv is empty");
        assertMentions(assertThrows(DataFormatException.class, () -> read(CsvReader.classification(), "a,b\n")),
                "header (line 1) but no data rows");
    }

    @Test
    void singleColumnSuggestsTheDelimiter() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(CsvReader.regression(), "1;2\n3;4\n"));
        assertMentions(e, "only one column", "';'", "delimiter");
    }

    @Test
    void badLabels() {
        assertMentions(assertThrows(DataFormatException.class, () -> read(CsvReader.classification(), "1,0.5\n")),
                "line 1, column 2", "'0.5' is not a whole number", "regression()");
        assertMentions(assertThrows(DataFormatException.class, () -> read(CsvReader.classification(), "1,-1\n")),
                "line 1, column 2", "'-1'");
        assertMentions(assertThrows(DataFormatException.class,
                        () -> read(CsvReader.classification().classes(3), "x,y\n1,2\n1,3\n")),
                "line 3, column 2 ('y')", "class label 3", "[0, 3)");
    }

    @Test
    void labelColumnProblems() {
        assertMentions(assertThrows(DataFormatException.class,
                        () -> read(CsvReader.classification().labelColumn("kind"), "a,b\n1,0\n")),
                "no column is named 'kind'", "[a, b]");
        assertMentions(assertThrows(DataFormatException.class,
                        () -> read(CsvReader.classification().labelColumn("kind"), "1,0\n")),
                "named 'kind'", "line 1 is data, not a header");
        assertMentions(assertThrows(DataFormatException.class,
                        () -> read(CsvReader.classification().labelColumn("a"), "a,a\n1,0\n")),
                "two columns 'a'", "columns 1 and 2");
        assertMentions(assertThrows(DataFormatException.class,
                        () -> read(CsvReader.classification().labelColumn(5), "1,0\n")),
                "label column index 5 is out of range", "2 columns", "0..1", "-2..-1");
    }

    @Test
    void unclosedQuote() {
        assertMentions(assertThrows(DataFormatException.class, () -> read(CsvReader.regression(), "1,\"2\n")),
                "test.csv line 1", "double quote is not closed");
    }

    @Test
    void configurationErrors() {
        assertThrows(IllegalStateException.class, () -> CsvReader.regression().classes(3));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.classification().classes(0));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.classification().delimiter('.'));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.classification().labelColumn(" "));
    }
}
