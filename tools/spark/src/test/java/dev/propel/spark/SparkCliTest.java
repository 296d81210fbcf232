package dev.propel.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.propel.cli.Main;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code propel train --spark} and {@code propel predict --spark} on Parquet and CSV data, through the CLI's own entry point. */
class SparkCliTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path spec;

    record Run(int code, String out, String err) {
    }

    static Run propel(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try (var o = new PrintStream(out, true, StandardCharsets.UTF_8); var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int code = Main.run(args, o, e, false);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** A features array column and an int label, as Parquet holds examples. */
    static void writeParquet(SparkSession spark, dev.propel.data.Dataset d, Path path) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            List<Float> f = new ArrayList<>();
            for (int j = 0; j < TinyData.FEATURES; j++) f.add(d.features().data()[i * TinyData.FEATURES + j]);
            rows.add(RowFactory.create(f, d.labels()[i]));
        }
        var schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), false),
                DataTypes.createStructField("label", DataTypes.IntegerType, false)));
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path.toString());
    }

    @BeforeAll
    static void data() throws Exception {
        SparkSession spark = LocalSpark.session();
        data = dir.resolve("blobs");
        writeParquet(spark, TinyData.blobs(200, 7), data.resolve("train.parquet"));
        writeParquet(spark, TinyData.blobs(60, 8), data.resolve("test.parquet"));
        PropelClassifierTest.table(spark, TinyData.blobs(30, 9)).coalesce(1).write().option("header", "true")
                .csv(dir.resolve("examples.csv").toString());
        spec = dir.resolve("mlp.json");
        Files.writeString(spec, """
                {"input": [12], "layers": [{"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dense", "units": 3}],
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "learning_rate": 0.01}}""");
    }

    @Test
    void trainOnSparkReadsParquetReportsJsonAndSavesTheModel() throws Exception {
        Path out = dir.resolve("model.pb");
        Run r = propel("train", "--spark", "local[2]", "--spec", spec.toString(), "--data", data.toString(), "--epochs", "2",
                "--batch-size", "32", "--json", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.get("epochs").size(), r.out());
        assertTrue(r.err().contains("spark: 14 steps"), r.err());
        assertTrue(Files.size(out) > 0);

        Path predictions = dir.resolve("predictions.parquet");
        Run p = propel("predict", out.toString(), "--spark", "local[2]", "--input", data.resolve("test.parquet").toString(),
                "--output", predictions.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("predicted 60 examples"), p.out());
        List<Row> rows = LocalSpark.session().read().parquet(predictions.toString()).collectAsList();
        assertEquals(60, rows.size());
        assertEquals(List.of("label", "prediction", "outputs"), List.of(rows.get(0).schema().fieldNames()));
        long correct = rows.stream().filter(row -> row.getInt(0) == row.getInt(1)).count();
        assertTrue(correct >= 40, correct + "/60 correct");

        Run again = propel("predict", out.toString(), "--spark", "local[2]", "--input", data.resolve("test.parquet").toString(),
                "--output", predictions.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already exists"), again.err());

        Path csv = dir.resolve("predictions.csv");
        Run c = propel("predict", out.toString(), "--spark", "local[2]", "--input", dir.resolve("examples.csv").toString(),
                "--output", csv.toString(), "--json");
        assertEquals(0, c.code(), c.err());
        assertEquals(30, new ObjectMapper().readTree(c.out()).get("examples").asInt());
        var table = LocalSpark.session().read().option("header", "true").csv(csv.toString());
        assertEquals(List.of("label", "prediction", "output_0", "output_1", "output_2"), List.of(table.schema().fieldNames()));
        assertEquals(30, table.count());
    }

    @Test
    void aPredictionJobThatFailsLeavesNoOutput() throws Exception {
        Path trained = dir.resolve("model-for-failure.pb");
        Run ok = propel("train", "--spark", "local[2]", "--spec", spec.toString(), "--data", data.toString(), "--epochs", "1",
                "--out", trained.toString());
        assertEquals(0, ok.code(), ok.err());
        Path output = dir.resolve("never.parquet");
        Run p = propel("predict", trained.toString(), "--spark", "local[2]", "--input", dir.resolve("wrong-width").toString(),
                "--output", output.toString());
        assertEquals(1, p.code());
        assertTrue(p.err().contains("no such data"), p.err());
        LocalSpark.session().range(10).selectExpr("array(cast(id as float)) as features").coalesce(1).write()
                .parquet(dir.resolve("wrong-width").toString());
        Run failed = propel("predict", trained.toString(), "--spark", "local[2]", "--input", dir.resolve("wrong-width").toString(),
                "--output", output.toString());
        assertEquals(1, failed.code());
        assertTrue(failed.err().contains("has 1 features but the model takes 12"), failed.err());
        assertFalse(Files.exists(output), "a failed job leaves no output");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".never.parquet")), "nor a temporary one");
        }
    }
}
