package dev.propel.cli;

import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerInfo;
import dev.propel.model.LayerSpec;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code propel compare} shows of a model's make-up, read from its file alone (so it works the same
 * for a stack, a graph and a Forward-Forward model): the architecture, one row per layer with its type,
 * what it reads, its per-sample output shape, its parameters and its layer state (batch norm's running
 * statistics); and the training settings its provenance records.
 *
 * @param input    per-sample input shape of the model
 * @param graph    whether some layer reads something other than the layer before it
 * @param layers   one row per layer, in model order
 * @param settings training settings by name, in a fixed order; "training": "not recorded" without provenance
 */
record ModelSummary(List<Integer> input, boolean graph, List<Row> layers, Map<String, String> settings) {

    /** One layer: {@code state} counts the values of its state tensors (not trained by the optimizer). */
    record Row(String name, String type, List<String> inputs, List<Integer> outputShape, long parameters, long state) {
    }

    static ModelSummary of(SavedModel saved) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < saved.graph().size(); i++) {
            LayerInfo info = saved.graph().get(i);
            LayerSpec spec = saved.spec().layers().get(i);
            rows.add(new Row(info.name(), spec.type(), info.inputs(), info.outputShape(),
                    values(saved.parameters(), info.name()), values(saved.layerState(), info.name())));
        }
        return new ModelSummary(saved.spec().input(), saved.isGraph(), rows, settings(saved));
    }

    /** "62 layers (graph): 21 batch_norm, 21 conv2d, …" — the types by count, most frequent first. */
    String describe() {
        Map<String, Integer> byType = new TreeMap<>();
        for (Row r : layers) byType.merge(r.type(), 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        byType.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue())
                .forEach(e -> parts.add(e.getValue() + " " + e.getKey()));
        return layers.size() + (layers.size() == 1 ? " layer" : " layers") + (graph ? " (graph)" : "") + ": " + String.join(", ", parts);
    }

    /** "62 (graph)", "5", or "not recorded" for a model without a file. */
    static String layerCount(ModelSummary s) {
        return s == null ? "not recorded" : s.layers().size() + (s.graph() ? " (graph)" : "");
    }

    /**
     * The settings of two models side by side: {@code [name, a's value, b's value]}, every name either records,
     * in a's order then b's; "not recorded" where one side has no such setting.
     */
    static List<String[]> settingRows(ModelSummary a, ModelSummary b) {
        Map<String, String> sa = a == null ? Map.of() : a.settings();
        Map<String, String> sb = b == null ? Map.of() : b.settings();
        Set<String> names = new LinkedHashSet<>(sa.keySet());
        names.addAll(sb.keySet());
        List<String[]> rows = new ArrayList<>();
        for (String name : names) rows.add(new String[]{name, sa.getOrDefault(name, "not recorded"), sb.getOrDefault(name, "not recorded")});
        return rows;
    }

    private static long values(Map<String, Tensor> tensors, String layer) {
        long n = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().startsWith(layer + ".")) n += e.getValue().size();
        }
        return n;
    }

    private static Map<String, String> settings(SavedModel saved) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("loss", component(saved.spec().loss()));
        s.put("optimizer", component(saved.spec().optimizer()));
        Provenance p = saved.provenance();
        if (p == null) {
            s.put("training", "not recorded");
            return s;
        }
        s.put("algorithm", p.algorithm());
        s.put("training data", p.dataset() == null ? "not recorded"
                : String.format(Locale.ROOT, "%s, %,d examples", p.dataset().name(), p.dataset().examples()));
        s.put("epochs", Integer.toString(p.epochs()));
        s.put("batch size", Integer.toString(p.batchSize()));
        s.put("gradient descent", p.gradientDescent());
        s.put("learning-rate schedule", p.schedule() == null ? "constant" : p.schedule().describe());
        s.put("shuffle", Boolean.toString(p.shuffle()));
        s.put("validation split", p.validationSplit() > 0 ? Double.toString(p.validationSplit()) : "none");
        s.put("gradient clipping", p.clipNorm() > 0 ? "norm " + p.clipNorm() : "off");
        s.put("seed", Long.toString(p.seed()));
        s.put("threads", Integer.toString(p.threads()));
        if (!p.stopReason().isEmpty()) s.put("stopped", p.stopReason());
        return s;
    }

    /** "adam {learning_rate=0.001, …}", or "not recorded". */
    private static String component(ComponentSpec c) {
        if (c == null) return "not recorded";
        return c.attributes().isEmpty() ? c.type() : c.type() + " " + new TreeMap<>(c.attributes());
    }
}
