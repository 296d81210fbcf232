package dev.propel.spark;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The Java usage example of docs/spark.md, compiled and run by {@link PropelClassifierTest}: a
 * VectorAssembler and a PropelClassifier in a Pipeline, fitted, saved, loaded and applied.
 */
final class PropelClassifierExample {
    private PropelClassifierExample() {
    }

    static Dataset<Row> run(Dataset<Row> training, Dataset<Row> test, String modelPath) throws java.io.IOException {
        VectorAssembler assembler = new VectorAssembler()
                .setInputCols(new String[]{"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11"})
                .setOutputCol("features");
        PropelClassifier classifier = new PropelClassifier()
                .setSpec("""
                        {"input": [12],
                         "layers": [{"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dense", "units": 3}],
                         "loss": {"type": "cross_entropy"},
                         "optimizer": {"type": "adam", "learning_rate": 0.01}}""")
                .setEpochs(3)
                .setBatchSize(32)
                .setSeed(1);
        classifier.setLabelCol("label").setFeaturesCol("features");
        PipelineModel model = new Pipeline().setStages(new PipelineStage[]{assembler, classifier}).fit(training);
        model.write().overwrite().save(modelPath);
        return PipelineModel.load(modelPath).transform(test).select("label", "prediction", "probability");
    }
}
