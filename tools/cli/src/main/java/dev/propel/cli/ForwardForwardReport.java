package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.Propel;
import dev.propel.data.TrainTest;
import dev.propel.train.ff.ForwardForwardSettings;

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
        Object lr = o.optimizer().attributes().get("learning_rate");
        ObjectNode root = TrainReport.header(command, "forward-forward", specName, dataName, data, s, propel,
                o.model().parameterCount(), o.optimizer().type(), lr instanceof Number n ? n.floatValue() : null);

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

        TrainReport.results(root, s, o.epochs(), o.best(), o.history(), o.heap());
        return root;
    }
}
