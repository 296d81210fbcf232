package dev.propel.spark;

import dev.propel.data.DataFormatException;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the examples are in a table read by Spark: a {@code features} column (an array of numbers or an
 * ML vector) when there is one, otherwise every numeric column but the label, in table order (a CSV
 * file with a header); the label is the column {@code label} (whole numbers from 0), optional for prediction.
 */
record ExampleColumns(String source, int[] featureColumns, boolean featureArray, int labelColumn) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    static final String FEATURES = "features";
    static final String LABEL = "label";

    static ExampleColumns of(StructType schema, String source, boolean needLabel) {
        List<String> names = Arrays.asList(schema.fieldNames());
        int label = names.indexOf(LABEL);
        if (label < 0 && needLabel) {
            throw new DataFormatException(source + " has no column '" + LABEL + "' (the class of each example, 0, 1, ...); its columns are "
                    + names + "; name the label column '" + LABEL + "'");
        }
        if (label >= 0 && !(schema.fields()[label].dataType() instanceof NumericType)) {
            throw new DataFormatException(source + ": column '" + LABEL + "' is " + schema.fields()[label].dataType().simpleString()
                    + ", expected whole numbers (the class of each example)");
        }
        int features = names.indexOf(FEATURES);
        if (features >= 0) {
            DataType t = schema.fields()[features].dataType();
            boolean array = t instanceof ArrayType a && a.elementType() instanceof NumericType;
            if (!array && !t.typeName().equals("vector")) {
                throw new DataFormatException(source + ": column '" + FEATURES + "' is " + t.simpleString()
                        + ", expected an array of numbers or an ML vector");
            }
            return new ExampleColumns(source, new int[]{features}, true, label);
        }
        List<Integer> numeric = new ArrayList<>();
        for (int i = 0; i < schema.fields().length; i++) {
            StructField f = schema.fields()[i];
            if (i == label) continue;
            if (!(f.dataType() instanceof NumericType)) {
                throw new DataFormatException(source + ": column '" + f.name() + "' is " + f.dataType().simpleString() + "; without a '"
                        + FEATURES + "' column every column but '" + LABEL + "' must be a number");
            }
            numeric.add(i);
        }
        if (numeric.isEmpty()) throw new DataFormatException(source + " has no feature columns (columns: " + names + ")");
        return new ExampleColumns(source, numeric.stream().mapToInt(Integer::intValue).toArray(), false, label);
    }

    boolean hasLabel() {
        return labelColumn >= 0;
    }

    /** The row's features into {@code out} (exactly {@code out.length} of them). */
    void features(Row row, float[] out) {
        if (!featureArray) {
            if (featureColumns.length != out.length) throw sizeError(featureColumns.length, out.length);
            for (int i = 0; i < out.length; i++) out[i] = number(row, featureColumns[i]);
            return;
        }
        int c = featureColumns[0];
        if (row.isNullAt(c)) throw new DataFormatException(source + ": an example has no features (null)");
        Object v = row.get(c);
        if (v instanceof Vector vec) {
            if (vec.size() != out.length) throw sizeError(vec.size(), out.length);
            for (int i = 0; i < out.length; i++) out[i] = (float) vec.apply(i);
        } else {
            List<Object> list = row.getList(c);
            if (list.size() != out.length) throw sizeError(list.size(), out.length);
            for (int i = 0; i < out.length; i++) out[i] = ((Number) list.get(i)).floatValue();
        }
    }

    /** Features per example, from the first row. */
    int width(Row first) {
        if (!featureArray) return featureColumns.length;
        Object v = first.get(featureColumns[0]);
        return v instanceof Vector vec ? vec.size() : first.getList(featureColumns[0]).size();
    }

    int label(Row row) {
        double v = number(row, labelColumn);
        if (v < 0 || v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw new DataFormatException(source + ": label " + v + " is not a class number (a whole number >= 0)");
        }
        return (int) v;
    }

    private float number(Row row, int column) {
        if (row.isNullAt(column)) {
            throw new DataFormatException(source + ": column '" + row.schema().fields()[column].name() + "' has an empty value; "
                    + "fill or drop missing values first");
        }
        return ((Number) row.get(column)).floatValue();
    }

    private DataFormatException sizeError(int found, int expected) {
        return new DataFormatException(source + ": an example has " + found + " features but the model takes " + expected);
    }

    /** The schema of the prediction output: label (when the input has one), prediction (classifiers), and the outputs. */
    static StructType outputSchema(boolean label, boolean classifies, int outputs, boolean csv) {
        List<StructField> fields = new ArrayList<>();
        if (label) fields.add(DataTypes.createStructField(LABEL, DataTypes.IntegerType, false));
        if (classifies) fields.add(DataTypes.createStructField("prediction", DataTypes.IntegerType, false));
        if (csv) {
            for (int i = 0; i < outputs; i++) fields.add(DataTypes.createStructField("output_" + i, DataTypes.FloatType, false));
        } else {
            fields.add(DataTypes.createStructField("outputs", DataTypes.createArrayType(DataTypes.FloatType, false), false));
        }
        return DataTypes.createStructType(fields);
    }
}
