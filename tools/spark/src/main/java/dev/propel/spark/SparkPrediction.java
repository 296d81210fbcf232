package dev.propel.spark;

import dev.propel.model.Model;
import dev.propel.tensor.Tensor;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * Batch inference on the executors: each partition of the input rebuilds the model once from a
 * broadcast copy and predicts its examples in chunks. The output is written to a hidden sibling
 * directory and renamed into place only when the whole job has succeeded, so a failed job or a lost
 * executor leaves no partial output behind (the output path either does not exist or is complete).
 */
final class SparkPrediction {
    static final int CHUNK = 256;

    private SparkPrediction() {
    }

    static long predict(SparkSession spark, ShippedModel model, int inputSize, int outputs, String input, String output) {
        Path target = new Path(output);
        FileSystem fs = fileSystem(spark, target);
        try {
            if (fs.exists(target)) {
                throw new IllegalArgumentException("--output " + output + " already exists; predictions never replace data, so remove it or "
                        + "give a new path");
            }
            Path parent = target.getParent();
            if (parent != null && !fs.exists(parent)) {
                throw new IllegalArgumentException("cannot write --output " + output + ": the directory " + parent + " does not exist");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check --output " + output + ": " + e.getMessage(), e);
        }
        var table = SparkData.read(spark, input);
        ExampleColumns columns = ExampleColumns.of(table.schema(), input, false);
        boolean csv = SparkData.isCsv(output);
        StructType schema = ExampleColumns.outputSchema(columns.hasLabel(), model.classifies(), outputs, csv);
        Broadcast<ShippedModel> shipped = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        JavaRDD<Row> rows = table.javaRDD().mapPartitions(it -> predictPartition(it, shipped.value(), columns, inputSize, csv));
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".propel-" + UUID.randomUUID());
        long n = table.count();
        try {
            var result = spark.createDataFrame(rows, schema);
            if (csv) result.write().option("header", "true").csv(temporary.toString());
            else result.write().parquet(temporary.toString());
            if (!fs.rename(temporary, target)) {
                throw new IOException("renaming " + temporary + " to " + target + " failed");
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write --output " + output + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw ExecutorFailures.explain(e);
        } finally {
            shipped.destroy();
            try {
                if (fs.exists(temporary)) fs.delete(temporary, true);
            } catch (IOException ignored) {
                // best effort: a hidden leftover never takes the output's name
            }
        }
    }

    private static FileSystem fileSystem(SparkSession spark, Path path) {
        try {
            return path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + path + ": " + e.getMessage(), e);
        }
    }

    private static Iterator<Row> predictPartition(Iterator<Row> input, ShippedModel shipped, ExampleColumns columns, int inputSize,
                                                  boolean csv) {
        Model model = shipped.rebuild(ExecutorPropel.get());
        List<Row> out = new ArrayList<>();
        List<Row> chunk = new ArrayList<>(CHUNK);
        float[] x = new float[CHUNK * inputSize];
        float[] row = new float[inputSize];
        while (input.hasNext()) {
            chunk.add(input.next());
            if (chunk.size() == CHUNK || !input.hasNext()) {
                for (int i = 0; i < chunk.size(); i++) {
                    columns.features(chunk.get(i), row);
                    System.arraycopy(row, 0, x, i * inputSize, inputSize);
                }
                Tensor batch = Tensor.wrap(x, model.inputShape().withBatch(chunk.size()));
                Tensor y = model.predict(batch);
                int[] classes = null;
                if (shipped.classifies()) {
                    classes = new int[chunk.size()];
                    model.kernels().argmaxRows(y.data(), chunk.size(), y.rowSize(), classes);
                }
                for (int i = 0; i < chunk.size(); i++) out.add(outputRow(chunk.get(i), columns, classes == null ? -1 : classes[i], y, i, csv));
                chunk.clear();
            }
        }
        return out.iterator();
    }

    private static Row outputRow(Row in, ExampleColumns columns, int predicted, Tensor y, int r, boolean csv) {
        int width = y.rowSize();
        List<Object> values = new ArrayList<>();
        if (columns.hasLabel()) values.add(columns.label(in));
        if (predicted >= 0) values.add(predicted);
        float[] outputs = new float[width];
        System.arraycopy(y.data(), r * width, outputs, 0, width);
        if (csv) {
            for (float v : outputs) values.add(v);
        } else {
            values.add(outputs); // Spark's row encoder takes a primitive array for array<float>, not a java.util.List
        }
        return RowFactory.create(values.toArray());
    }
}
