package dev.propel.data;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a numeric CSV file into a {@link Dataset}: one example per line, one column holding the
 * label (classification) or the target (regression), all other columns the features.
 *
 * <pre>{@code
 * Dataset iris = CsvReader.classification().labelColumn("species").read(Path.of("iris.csv"));
 * Dataset houses = CsvReader.regression().labelColumn(-1).read(Path.of("houses.csv"));
 * }</pre>
 *
 * <ul>
 *   <li>Header: by default the first line is a header when every one of its fields is a name: not
 *       empty, and not starting like a number (a digit, a sign or point followed by a digit) nor
 *       spelling NaN or infinity. A first line with any numeric-looking or empty field is data, so
 *       {@code 1,NaN,3}, {@code 1,,3} or {@code 0x10,2} are reported as bad values, never taken for a
 *       header (and their row dropped). {@link #header(boolean)} says so explicitly.</li>
 *   <li>Label column: by name (needs a header) or by index counted from 0 (negative indices count
 *       from the end); default: the column named {@code label} when the header has one, else the last
 *       column.</li>
 *   <li>Classification labels are whole numbers {@code >= 0}; the number of classes is the largest
 *       label + 1 unless given with {@link #classes(int)}. Regression targets are any finite number.</li>
 *   <li>Values are decimal numbers ({@code -1.5e3}); fields may be quoted and surrounded by spaces.
 *       Blank lines are skipped. Empty fields, {@code NaN} and infinities are errors: missing values
 *       must be removed or filled before training.</li>
 * </ul>
 * Error messages name the file, the line and the column (both counted from 1, as editors do).
 * A reader is immutable: each setter returns a new one.
 */
public final class CsvReader {
    /** The label column is "label" when the header names one, else the last column. */
    private static final int DEFAULT_LABEL = Integer.MIN_VALUE;
    /** The name of the label column chosen by default. */
    public static final String DEFAULT_LABEL_NAME = "label";
    private static final Pattern NUMERIC_LOOKING = Pattern.compile("[+-]?\\.?\\d|[+-]?(nan|inf)", Pattern.CASE_INSENSITIVE);
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final boolean classification;
    private final int classes;
    private final String labelName;
    private final int labelIndex;
    private final Boolean header;
    private final char delimiter;

    private CsvReader(boolean classification, int classes, String labelName, int labelIndex, Boolean header, char delimiter) {
        this.classification = classification;
        this.classes = classes;
        this.labelName = labelName;
        this.labelIndex = labelIndex;
        this.header = header;
        this.delimiter = delimiter;
    }

    /** Integer class labels; targets become one-hot rows. */
    public static CsvReader classification() {
        return new CsvReader(true, 0, null, DEFAULT_LABEL, null, ',');
    }

    /** A real-valued target; targets are {@code [n, 1]}. */
    public static CsvReader regression() {
        return new CsvReader(false, 0, null, DEFAULT_LABEL, null, ',');
    }

    /** The number of classes (labels must be below it); default: the largest label + 1. */
    public CsvReader classes(int classes) {
        if (!classification) {
            throw new IllegalStateException("classes(" + classes + ") applies to classification data; this reader reads regression data");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        return new CsvReader(true, classes, labelName, labelIndex, header, delimiter);
    }

    /** The label (or target) column by its header name. */
    public CsvReader labelColumn(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the label column name must not be empty");
        }
        return new CsvReader(classification, classes, name, 0, header, delimiter);
    }

    /** The label (or target) column by index from 0; -1 is the last column, -2 the one before. */
    public CsvReader labelColumn(int index) {
        return new CsvReader(classification, classes, null, index, header, delimiter);
    }

    /** Whether the first line is a header (default: detected, see the class comment). */
    public CsvReader header(boolean present) {
        return new CsvReader(classification, classes, labelName, labelIndex, present, delimiter);
    }

    /** The field separator (default {@code ','}). */
    public CsvReader delimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || delimiter == '.' || delimiter == '-'
                || Character.isDigit(delimiter)) {
            throw new IllegalArgumentException("'" + delimiter + "' cannot separate numeric fields; use e.g. ',', ';' or a tab");
        }
        return new CsvReader(classification, classes, labelName, labelIndex, header, delimiter);
    }

    /** Reads a UTF-8 file; the dataset is named after the file. */
    public Dataset read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString(), file.getFileName().toString());
        } catch (NoSuchFileException e) {
            throw new DataNotFoundException("CSV file " + file + " does not exist");
        } catch (IOException e) {
            throw new DataException("cannot read CSV file " + file + ": " + e, e);
        }
    }

    /** Reads CSV text; {@code source} names it in error messages and as the dataset name. */
    public Dataset read(Reader reader, String source) {
        try {
            BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
            return read(in, source, source);
        } catch (IOException e) {
            throw new DataException("cannot read CSV data from " + source + ": " + e, e);
        }
    }

    private Dataset read(BufferedReader in, String source, String name) throws IOException {
        List<String> columns = null;
        int firstLine = 0;
        int label = -1;
        int width = -1;
        FloatList features = new FloatList();
        FloatList targets = new FloatList();
        int maxLabel = -1;
        int rows = 0;
        int lineNo = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
            if (line.isBlank()) continue;
            List<String> fields = split(line, source, lineNo);
            if (width < 0) {
                width = fields.size();
                firstLine = lineNo;
                boolean isHeader = header != null ? header : isHeader(fields);
                if (isHeader) columns = fields;
                if (width < 2) {
                    throw new DataFormatException(source + " line " + lineNo + " has only one column; a dataset needs at "
                            + "least one feature column and one label column" + hintDelimiter(line));
                }
                label = resolveLabel(source, columns, width, lineNo);
                if (isHeader) continue;
            }
            if (fields.size() != width) {
                throw new DataFormatException(source + " line " + lineNo + " has " + fields.size() + " fields but line "
                        + firstLine + (columns != null ? " (the header)" : "") + " has " + width
                        + "; every line needs the same number of fields");
            }
            for (int c = 0; c < width; c++) {
                float v = parse(fields.get(c), source, lineNo, c, columns);
                if (c != label) {
                    features.add(v);
                } else if (classification) {
                    if (v != Math.rint(v) || v < 0 || v > 1 << 24) {
                        throw new DataFormatException(at(source, lineNo, c, columns) + ": class label '" + fields.get(c)
                                + "' is not a whole number >= 0; classification labels are 0, 1, 2, ... "
                                + "(use regression() for real-valued targets)");
                    }
                    int y = (int) v;
                    if (classes > 0 && y >= classes) {
                        throw new DataFormatException(at(source, lineNo, c, columns) + ": class label " + y + " is not below the "
                                + "given number of classes " + classes + "; labels must lie in [0, " + classes + ")");
                    }
                    maxLabel = Math.max(maxLabel, y);
                    targets.add(v);
                } else {
                    targets.add(v);
                }
            }
            rows++;
        }
        if (width < 0) {
            throw new DataFormatException(source + " is empty; expected lines of comma-separated numbers, "
                    + "optionally after a header line");
        }
        if (rows == 0) {
            throw new DataFormatException(source + " has a header (line " + firstLine + ") but no data rows");
        }
        Tensor x = Tensor.wrap(features.toArray(), Shape.of(rows, width - 1));
        if (classification) {
            float[] t = targets.toArray();
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) labels[i] = (int) t[i];
            return Dataset.classification(name, x, labels, classes > 0 ? classes : maxLabel + 1);
        }
        return Dataset.regression(name, x, Tensor.wrap(targets.toArray(), Shape.of(rows, 1)));
    }

    /** Whether a first line with these fields is taken for a header by default: every field is a name (see the class comment). */
    public static boolean isHeader(List<String> fields) {
        return !fields.isEmpty() && fields.stream().allMatch(CsvReader::isName);
    }

    /** A header field: not empty, not starting like a number, not NaN or infinity (see the class comment). */
    static boolean isName(String field) {
        return !field.isEmpty() && !NUMERIC_LOOKING.matcher(field).lookingAt();
    }

    private int resolveLabel(String source, List<String> columns, int width, int lineNo) {
        if (labelIndex == DEFAULT_LABEL) {
            boolean named = labelName == null && columns != null && columns.contains(DEFAULT_LABEL_NAME);
            return named ? labelColumn(DEFAULT_LABEL_NAME).resolveLabel(source, columns, width, lineNo) : width - 1;
        }
        if (labelName != null) {
            if (columns == null) {
                throw new DataFormatException(source + ": the label column is named '" + labelName + "' but line " + lineNo
                        + " is data, not a header; add a header line or choose the label column by index");
            }
            int found = -1;
            for (int c = 0; c < columns.size(); c++) {
                if (columns.get(c).equals(labelName)) {
                    if (found >= 0) {
                        throw new DataFormatException(source + ": the header names two columns '" + labelName + "' (columns "
                                + (found + 1) + " and " + (c + 1) + "); rename one or choose the label column by index");
                    }
                    found = c;
                }
            }
            if (found < 0) {
                throw new DataFormatException(source + ": no column is named '" + labelName + "'; the header (line " + lineNo
                        + ") has " + columns);
            }
            return found;
        }
        if (labelIndex < -width || labelIndex >= width) {
            throw new DataFormatException(source + ": label column index " + labelIndex + " is out of range: line " + lineNo
                    + " has " + width + " columns (indices 0.." + (width - 1) + ", or -" + width + "..-1 from the end)");
        }
        return labelIndex < 0 ? width + labelIndex : labelIndex;
    }

    private static float parse(String field, String source, int line, int column, List<String> columns) {
        if (field.isEmpty()) {
            throw new DataFormatException(at(source, line, column, columns) + ": the value is empty; missing values are not "
                    + "supported: remove or fill that row");
        }
        if (!NUMBER.matcher(field).matches()) {
            throw new DataFormatException(at(source, line, column, columns) + ": '" + field + "' is not a number; expected a "
                    + "decimal number such as 3, -0.25 or 1.5e-3");
        }
        float v = Float.parseFloat(field);
        if (Float.isInfinite(v)) {
            throw new DataFormatException(at(source, line, column, columns) + ": '" + field
                    + "' is too large for a 32-bit float (largest about 3.4e38)");
        }
        return v;
    }

    private static String at(String source, int line, int column, List<String> columns) {
        return source + " line " + line + ", column " + (column + 1)
                + (columns != null ? " ('" + columns.get(column) + "')" : "");
    }

    private String hintDelimiter(String line) {
        for (char c : new char[]{',', ';', '\t', '|'}) {
            if (c != delimiter && line.indexOf(c) >= 0) {
                return "; the line contains '" + (c == '\t' ? "\\t" : String.valueOf(c)) + "': is that the delimiter?";
            }
        }
        return "";
    }

    /** Splits one line at the delimiter, honouring double quotes ({@code ""} is a literal quote); trims fields. */
    private List<String> split(String line, String source, int lineNo) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == delimiter) {
                fields.add(field.toString().strip());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new DataFormatException(source + " line " + lineNo + ": a double quote is not closed; quoted fields must end "
                    + "on the line they start");
        }
        fields.add(field.toString().strip());
        return fields;
    }

    /** A growable float array. */
    private static final class FloatList {
        private float[] values = new float[1024];
        private int size;

        void add(float v) {
            if (size == values.length) values = Arrays.copyOf(values, values.length * 2);
            values[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
