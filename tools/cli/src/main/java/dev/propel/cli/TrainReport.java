package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.Propel;
import dev.propel.data.TrainTest;
import dev.propel.train.EpochMetrics;

import java.util.Locale;

/**
 * The {@code --json} result of a training run: one object with the run's settings, every epoch's
 * figures and the best epoch's test figures. Metrics that do not exist (accuracy of regression data)
 * are {@code null}. Field names are documented in docs/cli.md.
 */
final class TrainReport {
    private TrainReport() {
    }

    static ObjectNode toJson(String command, String specName, String dataName, TrainTest data, TrainingJob.Settings s,
                             Propel propel, TrainingJob.Outcome o) {
        ObjectNode root = Json.object();
        root.put("command", command);
        root.put("algorithm", "backprop");
        root.put("spec", specName);
        root.put("data", dataName);
        root.put("train_examples", data.train().size());
        root.put("test_examples", data.test().size());
        root.put("parameters", o.model().parameterCount());
        root.put("optimizer", o.optimizer().typeId());
        root.put("learning_rate", o.optimizer().learningRate());
        root.put("lr_schedule", s.scheduleText());
        root.put("mode", s.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        root.put("batch_size", s.batchSize());
        root.put("seed", s.seed());
        root.put("epochs_requested", s.epochs());
        if (s.validationSplit() > 0) root.put("validation_split", s.validationSplit());
        root.put("threads", propel.kernels().threads());
        root.put("kernels", propel.kernels().name());

        ArrayNode epochs = root.putArray("epochs");
        for (TrainingJob.Epoch e : o.epochs()) {
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

        root.put("best_epoch", o.best().metrics().epoch());
        Json.putMetric(root, "test_accuracy", o.best().testAccuracy());
        Json.putMetric(root, "test_loss", o.best().testLoss());
        root.put("stop_reason", o.history().stopReason());
        Json.putSeconds(root, "seconds", o.history().seconds());
        root.put("samples_per_second", Math.round(o.samplesPerSecond()));
        return root;
    }
}
