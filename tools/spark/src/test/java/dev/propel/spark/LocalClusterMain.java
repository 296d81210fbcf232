package dev.propel.spark;

import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Data-parallel training on {@code local-cluster[2,1,1024]}: two executor JVMs of one core each, as on
 * a cluster, in a JVM of its own (a JVM has one SparkContext). Spark's workers build the executors'
 * command line from a Spark home; without a distribution, a stand-in home whose {@code jars} directory
 * is empty and {@code spark.executor.extraClassPath} = this JVM's class path do. Prints the largest
 * relative difference from a single-machine run.
 */
public final class LocalClusterMain {
    private LocalClusterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Files.createTempDirectory("spark-home");
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("launcher/target/scala-2.13"));
        System.setProperty("spark.testing", "true");
        System.setProperty("spark.test.home", home.toString());
        String jvm = "--add-modules jdk.incubator.vector --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED "
                + "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED";
        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("propel-local-cluster")
                .config("spark.ui.enabled", "false")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", jvm)
                .getOrCreate();
        try (Propel propel = Propel.create()) {
            var train = TinyData.blobs(200, 7);
            TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(64).seed(3).build();
            Model local = propel.build(TinyData.mlp(), 3);
            new Trainer(config).fit(local, propel.optimizer("adam", Map.of("learning_rate", 0.01)), train, null);
            Model cluster = propel.build(TinyData.mlp(), 3);
            SparkTraining gradients = new SparkTraining(JavaSparkContext.fromSparkContext(spark.sparkContext()), 2);
            new Trainer(config, gradients).fit(cluster, propel.optimizer("adam", Map.of("learning_rate", 0.01)), train, null);
            double diff = SparkTrainingTest.maxRelativeDifference(FlatParameters.values(local.trainingSession(0).parameters()),
                    FlatParameters.values(cluster.trainingSession(0).parameters()));
            System.out.println("executors " + spark.sparkContext().getExecutorMemoryStatus().size() + " max-relative-difference " + diff);
        } finally {
            spark.stop();
        }
    }
}
