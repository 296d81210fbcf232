package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.Propel;
import dev.propel.data.TrainTest;
import dev.propel.train.EpochMetrics;
import dev.propel.train.TrainingHistory;

import java.util.List;
import java.util.Locale;

/**
 * The {@code --json} result of a training run: one object with the run's settings, every epoch's
 * figures, the best epoch's test figures and the memory the run needed. Metrics that do not exist
 * (accuracy of regression data) are {@code null}. Field names are documented in docs/cli.md;
 * {@link ForwardForwardReport} builds the same object for Forward-Forward runs.
 */
final class TrainReport {
    private TrainReport() {
    }

    static ObjectNode toJson(String command, String specName, String dataName, TrainTest data, TrainingJob.Settings s,
                             Propel propel, TrainingJob.Outcome o) {
        ObjectNode root = header(command, "backprop", specName, dataName, data, s, propel, o.model().parameterCount(),
                o.optimizer().typeId(), o.optimizer().learningRate());
        results(root, s, o.epochs(), o.best(), o.history(), o.heap());
        return root;
    }

    /** The run's settings: what was trained, on what, and how. */
    static ObjectNode header(String command, String algorithm, String specName, String dataName, TrainTest data,
                             TrainingJob.Settings s, Propel propel, long parameters, String optimizer, Float learningRate) {
        ObjectNode root = Json.object();
        root.put("command", command);
        root.put("algorithm", algorithm);
        root.put("spec", specName);
        root.put("data", dataName);
        root.put("train_examples", data.train().size());
        root.put("test_examples", data.test().size());
        root.put("parameters", parameters);
        root.put("optimizer", optimizer);
        if (learningRate != null) root.put("learning_rate", learningRate.floatValue());
        root.put("lr_schedule", s.scheduleText());
        root.put("mode", s.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        root.put("batch_size", s.batchSize());
        root.put("seed", s.seed());
        root.put("epochs_requested", s.epochs());
        if (s.validationSplit() > 0) root.put("validation_split", s.validationSplit());
        root.put("threads", propel.kernels().threads());
        root.put("kernels", propel.kernels().name());
        return root;
    }

    /** Every epoch's figures, the best epoch's test figures, throughput and memory. */
    static void results(ObjectNode root, TrainingJob.Settings s, List<TrainingJob.Epoch> epochList, TrainingJob.Epoch best,
                        TrainingHistory history, HeapMeter.Reading heap) {
        ArrayNode epochs = root.putArray("epochs");
        for (TrainingJob.Epoch e : epochList) {
            EpochMetrics m = e.metrics();
            ObjectNode n = epochs.addObject();
            n.put("epoch", m.epoch());
            Json.putMetric(n, "loss", m.trainLoss());
            Json.putMetric(n, "train_accuracy", m.trainAccuracy());
            Json.putMetric(n, "test_loss", e.testLoss());
            Json.putMetric(n, "test_accuracy", e.testAccuracy());
            if (s.validationSplit() > 0) {
                Json.putMetric(n, "validation_loss", m.validationLoss());
                Json.putMetric(n, "validation_accuracy", m.validationAccuracy());
            }
            Json.putMetric(n, "learning_rate", m.learningRate());
            Json.putSeconds(n, "seconds", m.seconds());
        }

        root.put("best_epoch", best.metrics().epoch());
        Json.putMetric(root, "test_accuracy", best.testAccuracy());
        Json.putMetric(root, "test_loss", best.testLoss());
        root.put("stop_reason", history.stopReason());
        Json.putSeconds(root, "seconds", history.seconds());
        root.put("samples_per_second", Math.round(TrainingJob.samplesPerSecond(epochList)));
        heap.asSettings().forEach(root::put);
    }
}
