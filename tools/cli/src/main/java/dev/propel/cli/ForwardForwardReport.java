package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.Propel;
import dev.propel.data.TrainTest;
import dev.propel.train.EpochMetrics;
import dev.propel.train.ff.ForwardForwardSettings;

import java.util.Locale;

/**
 * The {@code --json} result of a Forward-Forward run: the fields of a backprop run's report
 * ({@link TrainReport}) plus the Forward-Forward settings and the memory figures. Field names are
 * documented in docs/forward-forward.md.
 */
final class ForwardForwardReport {
    private ForwardForwardReport() {
    }

    static ObjectNode toJson(String command, String specName, String dataName, TrainTest data, TrainingJob.Settings s,
                             ForwardForwardOptions.Settings f, Propel propel, ForwardForwardJob.Outcome o) {
        ObjectNode root = Json.object();
        root.put("command", command);
        root.put("algorithm", "forward-forward");
        root.put("spec", specName);
        root.put("data", dataName);
        root.put("train_examples", data.train().size());
        root.put("test_examples", data.test().size());
        root.put("parameters", o.model().parameterCount());
        root.put("optimizer", o.optimizer().type());
        Object lr = o.optimizer().attributes().get("learning_rate");
        if (lr instanceof Number n) root.put("learning_rate", n.doubleValue());
        root.put("lr_schedule", s.scheduleText());
        root.put("mode", s.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        root.put("batch_size", s.batchSize());
        root.put("seed", s.seed());
        root.put("epochs_requested", s.epochs());
        if (s.validationSplit() > 0) root.put("validation_split", s.validationSplit());
        root.put("threads", propel.kernels().threads());
        root.put("kernels", propel.kernels().name());

        ObjectNode ff = root.putObject("forward_forward");
        ForwardForwardSettings settings = o.model().settings();
        settings.toAttributes().forEach((k, v) -> {
            if (v instanceof Integer i) ff.put(k, i);
            else if (v instanceof Float x) ff.put(k, x);
            else ff.put(k, String.valueOf(v));
        });
        ff.put("negatives", f.negatives().id());
        ff.put("layer_schedule", f.layerSchedule().id());
        ff.put("peer_normalization", f.peerNormalization());
        ArrayNode rates = ff.putArray("layer_learning_rates");
        f.layerLearningRates().forEach(rates::add);
        ff.put("softmax_head", o.model().hasSoftmaxHead());

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
        root.put("activation_bytes", o.activationBytes());
        root.put("peak_live_heap_bytes", o.heap().peakLiveBytes());
        root.put("peak_used_heap_bytes", o.heap().peakUsedBytes());
        return root;
    }
}
