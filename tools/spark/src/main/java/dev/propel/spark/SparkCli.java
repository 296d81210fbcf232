package dev.propel.spark;

import dev.propel.cli.SparkSupport;
import dev.propel.data.TrainTest;
import dev.propel.model.LoadedModel;
import dev.propel.train.BatchGradients;
import dev.propel.train.ff.ForwardForwardGradients;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.util.Locale;

/** {@code propel train --spark} and {@code propel predict --spark}: the CLI's {@link SparkSupport}, found with ServiceLoader. */
public final class SparkCli implements SparkSupport {

    @Override
    public Connection connect(String master, PrintStream err) {
        boolean running = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
        SparkSession spark;
        try {
            spark = SparkSession.builder().master(master).appName("propel").getOrCreate();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--spark " + master + ": cannot start Spark (" + e.getMessage() + "); give local[N] or the "
                    + "URL of a cluster's master, e.g. spark://host:7077", e);
        }
        err.println("Spark " + spark.version() + " at " + spark.sparkContext().master() + ", " + spark.sparkContext().defaultParallelism()
                + " partitions");
        return new Session(spark, !running);
    }

    private static final class Session implements Connection {
        private final SparkSession spark;
        private final boolean ownsSpark;
        private SparkTraining training;
        private SparkForwardForward forwardForward;

        Session(SparkSession spark, boolean ownsSpark) {
            this.spark = spark;
            this.ownsSpark = ownsSpark;
        }

        @Override
        public BatchGradients gradients() {
            if (training == null) training = new SparkTraining(JavaSparkContext.fromSparkContext(spark.sparkContext()));
            return training;
        }

        @Override
        public ForwardForwardGradients forwardForwardGradients() {
            if (forwardForward == null) forwardForward = new SparkForwardForward(JavaSparkContext.fromSparkContext(spark.sparkContext()));
            return forwardForward;
        }

        @Override
        public boolean reads(String source) {
            return SparkData.trainTestFormat(spark, source) != null;
        }

        @Override
        public TrainTest load(String source) {
            return SparkData.load(spark, source);
        }

        @Override
        public long predict(LoadedModel model, String modelName, String input, String output) {
            ShippedModel shipped = ShippedModel.of(model.model(), model.saved().prediction(), modelName);
            return SparkPrediction.predict(spark, shipped, model.model().inputShape().size(), model.model().outputShape().size(), input,
                    output);
        }

        @Override
        public String summary() {
            StepStats s = training != null ? training.stats() : forwardForward != null ? forwardForward.stats() : null;
            if (s == null || s.steps() == 0) return "";
            return String.format(Locale.ROOT, "spark: %d steps, %.1f ms per step (workers' job %.1f ms, of which gradients %.1f ms), "
                    + "%,d gradient bytes per worker and step", s.steps(), s.meanStepMillis(), s.meanJobMillis(), s.meanWorkerMillis(),
                    s.gradientBytes());
        }

        @Override
        public void close() {
            if (ownsSpark) spark.stop();
        }
    }
}
