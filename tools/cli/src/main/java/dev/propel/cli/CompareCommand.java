package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.LayerSpec;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;
import dev.propel.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code propel compare}: two models side by side: differences of structure, per-tensor difference
 * statistics, and with {@code --data} (classifiers) test accuracy and loss, per-class accuracy,
 * confusion matrices, agreement and accuracy where they disagree, parameter counts, training time,
 * epochs and peak heap from the files' provenance, inference throughput and weight statistics — as
 * text, {@code --json}, or a self-contained HTML page with charts ({@code --report}). Each model
 * predicts with its file's own rule, so a Forward-Forward model and a backprop model compare fairly.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare two model files: structure and per-tensor differences, and with --data how both do on the same data.",
                "With --data a side-by-side report of both on the test split (accuracy, loss, per-class accuracy, confusion matrices,",
                "agreement, training figures, throughput, weights).",
                "Example: propel compare ff.pb bp.pb --data fashion-mnist --report report.html"})
final class CompareCommand implements Callable<Integer> {
    @ParentCommand
    private PropelCommand root;

    @Parameters(index = "0", paramLabel = "A", description = "The first model file.")
    private Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The second model file.")
    private Path b;

    @Option(names = "--data", paramLabel = "SOURCE", description = "Also run both on this dataset's test split (fashion-mnist, sample, an IDX directory) or on all of a CSV file.")
    private String data;

    @Mixin
    private CsvOptions csv = new CsvOptions();


    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "With --data: also write a self-contained HTML report with charts (training curves, per-class accuracy, confusion matrices).")
    private Path report;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    private GlobalOptions global;

    /** Difference statistics of two tensors of one shape. */
    record TensorDiff(String name, String shapeA, String shapeB, long different, double maxAbs, double meanAbs, double rms) {
        boolean comparable() {
            return shapeA.equals(shapeB);
        }
    }

    @Override
    public Integer call() {
        if (report != null && data == null) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(), "--report needs --data: the report shows how both models "
                    + "do on a dataset's test split, e.g. --data fashion-mnist");
        }
        if (report != null) {
            if (!report.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".html")) {
                throw new picocli.CommandLine.ParameterException(command.commandLine(), "--report writes an HTML page: give a file name "
                        + "ending in .html, e.g. --report report.html (got " + report + ")");
            }
            OutputFiles.check("--report", report, OutputFiles.inputs(data, a, b));
        }
        SavedModel ma = ModelIo.read(a);
        SavedModel mb = ModelIo.read(b);
        List<String> structure = structure(ma, mb);
        List<TensorDiff> tensors = tensors(ma.parameters(), mb.parameters());
        ObjectNode o = Json.object().put("a", a.toString()).put("b", b.toString());
        StringBuilder text = new StringBuilder();
        text.append(structure.isEmpty() ? "structure: identical (input, layers, attributes, loss, optimizer)\n" : "structure: "
                + structure.size() + " difference" + (structure.size() == 1 ? "" : "s") + "\n");
        structure.forEach(s -> text.append("  ").append(s).append('\n'));
        structure.forEach(o.putArray("structure")::add);
        ArrayNode tj = o.putArray("tensors");
        text.append(String.format(Locale.ROOT, "  %-24s %-14s %12s %12s %12s %12s%n", "tensor", "shape", "different", "max |a-b|",
                "mean |a-b|", "rms"));
        for (TensorDiff d : tensors) {
            ObjectNode t = tj.addObject().put("name", d.name()).put("shape_a", d.shapeA()).put("shape_b", d.shapeB());
            if (d.comparable()) {
                t.put("different_values", d.different()).put("max_abs_diff", d.maxAbs()).put("mean_abs_diff", d.meanAbs()).put("rms_diff", d.rms());
                text.append(String.format(Locale.ROOT, "  %-24s %-14s %,12d %12.4g %12.4g %12.4g%n", d.name(), d.shapeA(), d.different(),
                        d.maxAbs(), d.meanAbs(), d.rms()));
            } else {
                text.append(String.format(Locale.ROOT, "  %-24s %s in %s, %s in %s%n", d.name(), d.shapeA(), a, d.shapeB(), b));
            }
        }
        if (data != null) {
            String sideBySide = outputs(o);
            if (sideBySide != null) text.insert(0, sideBySide + "\n");
        }
        root.out.println(json ? Json.write(o) : text.toString().stripTrailing());
        return 0;
    }

    static List<String> structure(SavedModel ma, SavedModel mb) {
        List<String> d = new ArrayList<>();
        if (!ma.spec().input().equals(mb.spec().input())) d.add("input " + ma.spec().input() + " vs " + mb.spec().input());
        int n = Math.max(ma.spec().layers().size(), mb.spec().layers().size());
        for (int i = 0; i < n; i++) {
            LayerSpec la = i < ma.spec().layers().size() ? ma.spec().layers().get(i) : null;
            LayerSpec lb = i < mb.spec().layers().size() ? mb.spec().layers().get(i) : null;
            if (la == null || lb == null) {
                d.add("layer " + i + ": only in " + (la == null ? "B: " + lb.name() + " (" + lb.type() + ")" : "A: " + la.name() + " (" + la.type() + ")"));
                continue;
            }
            if (!la.type().equals(lb.type())) d.add("layer " + i + ": type " + la.type() + " vs " + lb.type());
            if (!la.name().equals(lb.name())) d.add("layer " + i + ": name " + la.name() + " vs " + lb.name());
            if (la.type().equals(lb.type())) attributes("layer " + i + " '" + la.name() + "'", la.attributes(), lb.attributes(), d);
        }
        if (!ma.spec().loss().type().equals(mb.spec().loss().type())) {
            d.add("loss " + ma.spec().loss().type() + " vs " + mb.spec().loss().type());
        } else {
            attributes("loss", ma.spec().loss().attributes(), mb.spec().loss().attributes(), d);
        }
        var oa = ma.spec().optimizer();
        var ob = mb.spec().optimizer();
        if (oa == null || ob == null || !oa.type().equals(ob.type())) {
            if (!Objects.equals(oa, ob)) d.add("optimizer " + (oa == null ? "none" : oa.type()) + " vs " + (ob == null ? "none" : ob.type()));
        } else {
            attributes("optimizer", oa.attributes(), ob.attributes(), d);
        }
        return d;
    }

    private static void attributes(String owner, Map<String, Object> a, Map<String, Object> b, List<String> out) {
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            if (!Objects.equals(a.get(k), b.get(k))) {
                out.add(owner + ": " + k + " = " + (a.containsKey(k) ? a.get(k) : "(none)") + " vs " + (b.containsKey(k) ? b.get(k) : "(none)"));
            }
        }
    }

    static List<TensorDiff> tensors(Map<String, Tensor> ta, Map<String, Tensor> tb) {
        Set<String> names = new LinkedHashSet<>(ta.keySet());
        names.addAll(tb.keySet());
        List<TensorDiff> out = new ArrayList<>();
        for (String name : names) {
            Tensor x = ta.get(name);
            Tensor y = tb.get(name);
            String sa = x == null ? "missing" : x.shape().toString();
            String sb = y == null ? "missing" : y.shape().toString();
            if (x == null || y == null || !x.shape().equals(y.shape())) {
                out.add(new TensorDiff(name, sa, sb, 0, Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            long different = 0;
            double max = 0;
            double sum = 0;
            double sq = 0;
            int n = x.size();
            for (int i = 0; i < n; i++) {
                float u = x.data()[i];
                float v = y.data()[i];
                if (Float.floatToRawIntBits(u) != Float.floatToRawIntBits(v)) different++;
                double diff = Math.abs((double) u - v);
                if (Double.isNaN(diff)) diff = Float.isNaN(u) && Float.isNaN(v) ? 0 : Double.POSITIVE_INFINITY;
                max = Math.max(max, diff);
                sum += diff;
                sq += diff * diff;
            }
            out.add(new TensorDiff(name, sa, sb, different, max, n == 0 ? 0 : sum / n, n == 0 ? 0 : Math.sqrt(sq / n)));
        }
        return out;
    }

    /**
     * Runs both models on the test split; for classifiers returns the side-by-side text (and writes
     * the report), for other models adds the mean output difference and returns its line.
     */
    private String outputs(ObjectNode o) {
        try (Propel propel = root.propel()) {
            SavedPredictor pa = SavedPredictor.of(a, ModelIo.load(propel, a));
            SavedPredictor pb = SavedPredictor.of(b, ModelIo.load(propel, b));
            Dataset test = DataLoader.loadTest(data, csv);
            pa.requireFits(test, data);
            pb.requireFits(test, data);
            ObjectNode d = o.putObject("data").put("source", data).put("examples", test.size());
            if (!pa.classifies() || !pb.classifies() || !test.isClassification()) {
                if (report != null) {
                    throw new IllegalArgumentException("--report compares classifiers, but " + (pa.classifies() ? b : a)
                            + " predicts values, not classes");
                }
                Evaluation ea = pa.evaluate(test);
                Evaluation eb = pb.evaluate(test);
                Json.putMetric(d, "loss_a", ea.loss());
                Json.putMetric(d, "loss_b", eb.loss());
                Tensor ya = pa.outputs(test.features());
                Tensor yb = pb.outputs(test.features());
                double sum = 0;
                for (int i = 0; i < ya.size(); i++) sum += Math.abs((double) ya.data()[i] - yb.data()[i]);
                d.put("mean_abs_output_diff", sum / ya.size());
                return String.format(Locale.ROOT, "on %s (test split, %,d examples): loss A %.4f, loss B %.4f, mean |output A - output B| = %.4g%n",
                        data, test.size(), ea.loss(), eb.loss(), sum / ya.size());
            }
            ModelComparison c = ModelComparison.compute(compared(a, pa), compared(b, pb), test, data);
            Json.putMetric(d, "accuracy_a", c.a().accuracy());
            Json.putMetric(d, "accuracy_b", c.b().accuracy());
            Json.putMetric(d, "loss_a", c.a().loss());
            Json.putMetric(d, "loss_b", c.b().loss());
            d.put("agreement", (double) c.agreement().agree() / c.examples());
            o.set("comparison", CompareJson.toJson(c));
            if (report != null) {
                OutputFiles.writeString("--report", report, CompareHtml.render(c,
                        CompareHtml.Origin.of(root.commandLine(), pa.loaded().saved(), pb.loaded().saved())));
                root.err.println("wrote the comparison report to " + report);
            }
            return CompareConsole.render(c);
        }
    }

    /** One side of the comparison: the file's model with its rule, and its training record. */
    private static ComparedModel compared(Path file, SavedPredictor p) {
        String name = file.getFileName().toString();
        ComparedModel.Training training = training(p.loaded().saved().provenance());
        ModelSummary summary = ModelSummary.of(p.loaded().saved());
        return p.forwardForward() != null ? ComparedModel.forwardForward(name, p.forwardForward(), training, summary)
                : ComparedModel.backprop(name, p.model(), training, summary);
    }

    static ComparedModel.Training training(dev.propel.model.Provenance p) {
        if (p == null) return null;
        return new ComparedModel.Training(p.epochs(), p.wallSeconds(), p.threads(), bytes(p, HeapMeter.PEAK_LIVE_HEAP),
                bytes(p, HeapMeter.ACTIVATION_BYTES), p.metrics());
    }

    private static long bytes(dev.propel.model.Provenance p, String key) {
        return p.settings().get(key) instanceof Number n ? n.longValue() : -1;
    }

}
