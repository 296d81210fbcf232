package dev.propel.spark;

import dev.propel.data.DataNotFoundException;
import dev.propel.data.Dataset;
import dev.propel.data.TrainTest;
import dev.propel.tensor.Tensor;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Tables Spark reads: Parquet or CSV (with a header) on any Hadoop file system ({@code hdfs://},
 * {@code s3a://}, a local path). A training source is a directory holding {@code train.parquet} and
 * {@code test.parquet}, or {@code train.csv} and {@code test.csv}; see {@link ExampleColumns} for the columns.
 */
final class SparkData {
    private static final List<String> FORMATS = List.of("parquet", "csv");

    private SparkData() {
    }

    /** The format of the train/test pair in {@code dir} ("parquet" or "csv"), or null when it holds none. */
    static String trainTestFormat(SparkSession spark, String dir) {
        for (String format : FORMATS) {
            if (exists(spark, new Path(dir, "train." + format))) return format;
        }
        return null;
    }

    static TrainTest load(SparkSession spark, String dir) {
        String format = trainTestFormat(spark, dir);
        if (format == null) {
            throw new DataNotFoundException("Spark data source '" + dir + "' holds neither train.parquet nor train.csv; a Spark "
                    + "training source is a directory with train.parquet and test.parquet (or train.csv and test.csv)");
        }
        String test = new Path(dir, "test." + format).toString();
        if (!exists(spark, new Path(test))) {
            throw new DataNotFoundException("'" + dir + "' has train." + format + " but no test." + format + "; add the test split");
        }
        List<Row> trainRows = read(spark, new Path(dir, "train." + format).toString()).collectAsList();
        List<Row> testRows = read(spark, test).collectAsList();
        String name = new Path(dir).getName();
        ExampleColumns trainColumns = columns(spark, new Path(dir, "train." + format).toString(), true);
        ExampleColumns testColumns = columns(spark, test, true);
        if (trainRows.isEmpty()) throw new DataNotFoundException(dir + "/train." + format + " holds no examples");
        int width = trainColumns.width(trainRows.get(0));
        int classes = 1 + Math.max(maxLabel(trainRows, trainColumns), maxLabel(testRows, testColumns));
        return new TrainTest(dataset(name + "/train", trainRows, trainColumns, width, classes),
                dataset(name + "/test", testRows, testColumns, width, classes));
    }

    /** A table of examples: Parquet, or CSV with a header when the path ends in .csv. */
    static org.apache.spark.sql.Dataset<Row> read(SparkSession spark, String path) {
        if (!exists(spark, new Path(path))) throw new DataNotFoundException("no such data: " + path);
        return isCsv(path) ? spark.read().option("header", "true").option("inferSchema", "true").csv(path) : spark.read().parquet(path);
    }

    static ExampleColumns columns(SparkSession spark, String path, boolean needLabel) {
        return ExampleColumns.of(read(spark, path).schema(), path, needLabel);
    }

    static boolean isCsv(String path) {
        return path.toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    static boolean exists(SparkSession spark, Path path) {
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + path + ": " + e.getMessage(), e);
        }
    }

    private static int maxLabel(List<Row> rows, ExampleColumns columns) {
        int max = 0;
        for (Row r : rows) max = Math.max(max, columns.label(r));
        return max;
    }

    private static Dataset dataset(String name, List<Row> rows, ExampleColumns columns, int width, int classes) {
        float[] x = new float[rows.size() * width];
        int[] labels = new int[rows.size()];
        float[] row = new float[width];
        for (int i = 0; i < rows.size(); i++) {
            columns.features(rows.get(i), row);
            System.arraycopy(row, 0, x, i * width, width);
            labels[i] = columns.label(rows.get(i));
        }
        return Dataset.classification(name, Tensor.of(x, rows.size(), width), labels, classes);
    }
}
