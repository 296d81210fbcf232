package dev.propel.cli;

import dev.propel.data.TrainTest;
import dev.propel.model.LoadedModel;
import dev.propel.train.BatchGradients;
import dev.propel.train.ff.ForwardForwardGradients;

import java.io.PrintStream;
import java.util.ServiceLoader;

/**
 * What {@code propel train --spark} and {@code propel predict --spark} need from Apache Spark. The CLI
 * does not depend on Spark (its jars are hundreds of megabytes); the {@code propel-spark} module
 * implements this interface and is found with {@link ServiceLoader} when it is on the class path
 * ({@code ./propel-spark}, or {@code spark-submit} with its jar; see docs/spark.md).
 */
public interface SparkSupport {

    /** Starts (or joins) the Spark application at {@code master}; {@code err} gets its one-line messages. */
    Connection connect(String master, PrintStream err);

    /** A running Spark application; closing it stops the application this process started. */
    interface Connection extends AutoCloseable {
        /** Where each training step's gradients come from: the executors, summed in a fixed order. */
        BatchGradients gradients();

        /** Where each Forward-Forward step's layer-local gradients come from: the executors, summed in a fixed order. */
        ForwardForwardGradients forwardForwardGradients();

        /** True when Spark reads {@code source} (a Parquet or CSV directory on a Hadoop file system), not the CLI. */
        boolean reads(String source);

        /** The train and test examples of a source Spark {@link #reads}. */
        TrainTest load(String source);

        /**
         * Predicts every example of {@code input} (Parquet or CSV) with {@code model} on the executors and
         * writes the predictions to {@code output} (Parquet, or CSV when it ends in {@code .csv}), all at
         * once: a failed job leaves no output. Returns the number of examples.
         */
        long predict(LoadedModel model, String modelName, String input, String output);

        /** What the figures of the run were (step time, bytes), for the end of a run; may be empty. */
        String summary();

        @Override
        void close();
    }

    /** The implementation on the class path, or an error saying how to get one. */
    static SparkSupport find() {
        return ServiceLoader.load(SparkSupport.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "--spark needs Propel's Spark module (propel-spark), which is not on this command's class path; run "
                        + "./propel-spark instead of ./propel (it builds tools/spark and adds Spark), or spark-submit the propel-spark "
                        + "jar as docs/spark.md shows"));
    }
}
