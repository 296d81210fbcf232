package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.train.EpochMetrics;

/** The {@code --json} form of {@code propel compare}; field names are documented in docs/forward-forward.md. */
final class CompareJson {
    private CompareJson() {
    }

    static ObjectNode toJson(ModelComparison c) {
        ObjectNode root = Json.object();
        root.put("command", "compare");
        root.put("data", c.data());
        root.put("test_examples", c.examples());
        ArrayNode names = root.putArray("classes");
        c.classNames().forEach(names::add);
        ArrayNode models = root.putArray("models");
        side(models.addObject(), c.a());
        side(models.addObject(), c.b());
        ModelComparison.Agreement g = c.agreement();
        ObjectNode agreement = root.putObject("agreement");
        agreement.put("same_prediction", g.agree());
        agreement.put("different_prediction", g.disagree());
        Json.putMetric(agreement, "rate", g.rate());
        Json.putMetric(agreement, "first_accuracy_where_different", g.aAccuracyWhereDisagree());
        Json.putMetric(agreement, "second_accuracy_where_different", g.bAccuracyWhereDisagree());
        agreement.put("both_wrong_where_different", g.bothWrong());
        return root;
    }

    /** "architecture": input, layers (name, type, inputs, output_shape, parameters, state); "settings": name → value. */
    private static void architecture(ObjectNode n, ModelSummary m) {
        if (m == null) {
            n.putNull("architecture");
            n.putNull("settings");
            return;
        }
        ObjectNode a = n.putObject("architecture");
        ArrayNode input = a.putArray("input");
        m.input().forEach(input::add);
        a.put("graph", m.graph());
        ArrayNode layers = a.putArray("layers");
        for (ModelSummary.Row r : m.layers()) {
            ObjectNode l = layers.addObject().put("name", r.name()).put("type", r.type());
            ArrayNode inputs = l.putArray("inputs");
            r.inputs().forEach(inputs::add);
            ArrayNode shape = l.putArray("output_shape");
            r.outputShape().forEach(shape::add);
            l.put("parameters", r.parameters()).put("state", r.state());
        }
        ObjectNode settings = n.putObject("settings");
        m.settings().forEach(settings::put);
    }

    private static void side(ObjectNode n, ModelComparison.Side s) {
        ComparedModel m = s.model();
        n.put("name", m.name());
        n.put("algorithm", m.algorithm());
        n.put("prediction", m.rule());
        Json.putMetric(n, "test_accuracy", s.accuracy());
        Json.putMetric(n, "test_loss", s.loss());
        n.put("parameters", m.parameterCount());
        n.put("inference_examples_per_second", Math.round(s.examplesPerSecond()));
        ArrayNode perClass = n.putArray("per_class_accuracy");
        for (float v : s.perClassAccuracy()) {
            if (Float.isFinite(v)) perClass.add(v);
            else perClass.addNull();
        }
        ArrayNode confusion = n.putArray("confusion");
        for (int[] row : s.confusion()) {
            ArrayNode r = confusion.addArray();
            for (int v : row) r.add(v);
        }
        architecture(n, m.summary());
        ComparedModel.Training t = m.training();
        if (t == null) {
            n.putNull("training");
        } else {
            ObjectNode tr = n.putObject("training");
            tr.put("epochs", t.epochs());
            Json.putSeconds(tr, "seconds", t.wallSeconds());
            tr.put("threads", t.threads());
            putBytes(tr, HeapMeter.PEAK_LIVE_HEAP, t.peakLiveHeapBytes());
            putBytes(tr, HeapMeter.ACTIVATION_BYTES, t.activationBytes());
            ArrayNode epochs = tr.putArray("metrics");
            for (EpochMetrics e : t.metrics()) {
                ObjectNode en = epochs.addObject();
                en.put("epoch", e.epoch());
                Json.putMetric(en, "loss", e.trainLoss());
                Json.putMetric(en, "train_accuracy", e.trainAccuracy());
                Json.putMetric(en, "validation_loss", e.validationLoss());
                Json.putMetric(en, "validation_accuracy", e.validationAccuracy());
                Json.putSeconds(en, "seconds", e.seconds());
            }
        }
        ArrayNode weights = n.putArray("weights");
        for (ModelComparison.WeightStats w : s.weights()) {
            ObjectNode wn = weights.addObject();
            wn.put("name", w.name());
            ArrayNode shape = wn.putArray("shape");
            w.shape().forEach(shape::add);
            wn.put("count", w.count());
            wn.put("mean", w.mean());
            wn.put("std", w.std());
            wn.put("min", w.min());
            wn.put("max", w.max());
            wn.put("l2", w.l2());
        }
    }

    /** A byte count, or null when the file does not record it. */
    private static void putBytes(ObjectNode n, String key, long bytes) {
        if (bytes >= 0) n.put(key, bytes);
        else n.putNull(key);
    }
}
