package dev.propel.spark;

import dev.propel.Propel;
import dev.propel.model.ModelFiles;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PropelClassifierTest {

    /** The blobs as a table of columns x0..x11 and a double label, as a user's data would come. */
    static org.apache.spark.sql.Dataset<Row> table(SparkSession spark, dev.propel.data.Dataset data) {
        List<StructField> fields = new ArrayList<>();
        for (int j = 0; j < TinyData.FEATURES; j++) fields.add(DataTypes.createStructField("x" + j, DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, false));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            Object[] v = new Object[TinyData.FEATURES + 1];
            for (int j = 0; j < TinyData.FEATURES; j++) v[j] = (double) data.features().data()[i * TinyData.FEATURES + j];
            v[TinyData.FEATURES] = (double) data.labels()[i];
            rows.add(RowFactory.create(v));
        }
        return spark.createDataFrame(rows, DataTypes.createStructType(fields));
    }

    @Test
    void thePipelineExampleTrainsSavesLoadsAndPredicts(@TempDir Path dir) throws Exception {
        SparkSession spark = LocalSpark.session();
        String path = dir.resolve("pipeline").toString();
        List<Row> predicted = PropelClassifierExample.run(table(spark, TinyData.blobs(200, 7)), table(spark, TinyData.blobs(60, 8)), path)
                .collectAsList();
        assertEquals(60, predicted.size());
        int correct = 0;
        for (Row r : predicted) {
            if (r.getDouble(0) == r.getDouble(1)) correct++;
            Vector p = (Vector) r.get(2);
            double sum = 0;
            for (int c = 0; c < 3; c++) sum += p.apply(c);
            assertEquals(1.0, sum, 1e-9, "probabilities sum to 1");
        }
        assertTrue(correct >= 45, "accuracy on separable blobs: " + correct + "/60");

        // The fitted stage keeps the model as a Propel file that the rest of Propel reads as it is.
        PipelineModel loaded = PipelineModel.load(path);
        PropelClassificationModel stage = (PropelClassificationModel) loaded.stages()[1];
        assertEquals(3, stage.numClasses());
        assertEquals(TinyData.FEATURES, stage.numFeatures());
        Path file;
        try (var files = Files.walk(Path.of(path))) {
            file = files.filter(f -> f.endsWith(Path.of(PropelClassificationModel.MODEL_FILE))).findFirst().orElseThrow();
        }
        try (Propel propel = Propel.create()) {
            var model = ModelFiles.load(propel, file).model();
            assertEquals(stage.propelModel().parameters().get("dense_0.weight").data()[0],
                    model.parameters().get("dense_0.weight").data()[0]);
        }
    }

    @Test
    void labelsTheModelCannotOutputAreRefusedWithTheReason() {
        SparkSession spark = LocalSpark.session();
        var data = new org.apache.spark.ml.feature.VectorAssembler()
                .setInputCols(new String[]{"x0", "x1"}).setOutputCol("features")
                .transform(table(spark, TinyData.blobs(20, 1)));
        PropelClassifier two = new PropelClassifier().setSpec("""
                {"input": [2], "layers": [{"type": "dense", "units": 2}], "loss": {"type": "cross_entropy"}}""").setEpochs(1);
        var e = assertThrows(IllegalArgumentException.class, () -> two.fit(data));
        assertTrue(e.getMessage().contains("outputs 2 values"), e.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> new PropelClassifier().fit(data));
        assertTrue(none.getMessage().contains("setSpec"), none.getMessage());
    }

    @Test
    void theEstimatorItselfSurvivesMlPersistence(@TempDir Path dir) throws Exception {
        PropelClassifier c = new PropelClassifier().setSpec("{\"input\": [2]}").setEpochs(7).setBatchSize(5).setSeed(9);
        LocalSpark.session();
        c.write().save(dir.resolve("c").toString());
        PropelClassifier back = PropelClassifier.load(dir.resolve("c").toString());
        assertEquals(c.uid(), back.uid());
        assertEquals(7, (Integer) back.getOrDefault(back.epochs()));
        assertEquals(5, (Integer) back.getOrDefault(back.batchSize()));
        assertEquals("{\"input\": [2]}", back.getOrDefault(back.spec()));
    }
}
