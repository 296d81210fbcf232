package dev.propel.cli;

import dev.propel.model.PropelVersion;
import dev.propel.model.SavedModel;
import dev.propel.train.EpochMetrics;
import org.knowm.xchart.internal.chartpart.Chart;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The {@code --report} form of {@code propel compare}: one self-contained HTML page (inline CSS, charts
 * embedded as PNG data URIs, no script, nothing fetched) with the summary table, training curves of
 * both runs, per-class accuracy bars, confusion-matrix heat maps, the agreement figures, both files'
 * training settings and architectures (one row per layer), the files' structure and tensor differences,
 * the weight statistics, and the Propel version, date and command line that made it.
 */
final class CompareHtml {
    private CompareHtml() {
    }

    /**
     * How a report came to be: the command line, when, and the differences of the two files themselves
     * (structure and per-tensor), as the console shows them.
     */
    record Origin(String commandLine, Instant made, List<String> structure, List<CompareCommand.TensorDiff> tensors) {
        static Origin of(String commandLine, SavedModel a, SavedModel b) {
            return new Origin(commandLine, Instant.now(), CompareCommand.structure(a, b), CompareCommand.tensors(a.parameters(), b.parameters()));
        }
    }

    static String render(ModelComparison c, Origin origin) {
        ModelComparison.Side a = c.a();
        ModelComparison.Side b = c.b();
        StringBuilder h = new StringBuilder();
        h.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>""").append(esc("Propel comparison: " + a.model().name() + " vs " + b.model().name())).append("""
                </title>
                <style>
                body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:2em auto;max-width:1000px;color:#222;line-height:1.4}
                h1{font-size:1.5em;margin-bottom:.2em} h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
                table{border-collapse:collapse;margin:.6em 0} th,td{padding:.25em .7em;border-bottom:1px solid #eee;text-align:right}
                th:first-child,td:first-child{text-align:left} thead th{border-bottom:2px solid #bbb}
                .a{color:#1f77b4;font-weight:bold} .b{color:#ff7f0e;font-weight:bold} .muted{color:#777;font-size:.9em}
                .charts{display:flex;flex-wrap:wrap;gap:1em} .charts img{max-width:100%;height:auto;border:1px solid #eee}
                .pair{display:grid;grid-template-columns:1fr 1fr;gap:1em} .pair img{width:100%;height:auto;border:1px solid #eee}
                </style></head><body>
                """);
        h.append("<h1>").append(esc(a.model().name())).append(" vs ").append(esc(b.model().name())).append("</h1>\n");
        h.append("<p class=\"muted\">").append(esc(String.format(Locale.ROOT, "Test data: %s, %,d examples. Made by Propel %s on %s with: ",
                c.data(), c.examples(), PropelVersion.current(), DateTimeFormatter.ISO_INSTANT.format(origin.made().truncatedTo(ChronoUnit.SECONDS)))))
                .append("<code>").append(esc(origin.commandLine())).append("</code></p>\n");

        h.append("<h2>Summary</h2>\n<table><thead><tr><th></th><th class=\"a\">").append(esc(a.model().name()))
                .append("</th><th class=\"b\">").append(esc(b.model().name())).append("</th></tr></thead><tbody>\n");
        row(h, "algorithm", a.model().algorithm(), b.model().algorithm());
        row(h, "prediction", a.model().rule(), b.model().rule());
        row(h, "test accuracy", CompareConsole.f4(a.accuracy()), CompareConsole.f4(b.accuracy()));
        row(h, "test loss", CompareConsole.f4(a.loss()), CompareConsole.f4(b.loss()));
        row(h, "parameters", CompareConsole.count(a.model().parameterCount()), CompareConsole.count(b.model().parameterCount()));
        row(h, "layers", ModelSummary.layerCount(a.model().summary()), ModelSummary.layerCount(b.model().summary()));
        row(h, "training epochs", epochs(a), epochs(b));
        row(h, "training time", seconds(a), seconds(b));
        row(h, "peak heap in training", memory(a, ComparedModel.Training::peakLiveHeapBytes),
                memory(b, ComparedModel.Training::peakLiveHeapBytes));
        row(h, "activation memory in training", memory(a, ComparedModel.Training::activationBytes),
                memory(b, ComparedModel.Training::activationBytes));
        row(h, "inference throughput", String.format(Locale.ROOT, "%,.0f examples/s", a.examplesPerSecond()),
                String.format(Locale.ROOT, "%,.0f examples/s", b.examplesPerSecond()));
        h.append("</tbody></table>\n");
        if (!a.model().algorithm().equals(b.model().algorithm())) {
            h.append("<p class=\"muted\">Not comparable: the test losses. Each is the model's own: backprop's loss function, "
                    + "Forward-Forward's cross-entropy of the softmax of its goodness scores, which are not probabilities. "
                    + "Compare the accuracies.</p>\n");
        }

        settings(h, a, b);

        ModelComparison.Agreement g = c.agreement();
        h.append("<h2>Agreement</h2>\n<p>").append(esc(String.format(Locale.ROOT,
                "Both models predict the same class for %,d of %,d test examples (%.1f%%).", g.agree(), c.examples(), 100 * g.rate())));
        if (g.disagree() > 0) {
            h.append(' ').append(esc(String.format(Locale.ROOT,
                    "On the %,d examples where they disagree, %s is right on %.1f%%, %s on %.1f%%, and both are wrong on %.1f%%.",
                    g.disagree(), a.model().name(), 100 * g.aAccuracyWhereDisagree(), b.model().name(), 100 * g.bAccuracyWhereDisagree(),
                    100.0 * g.bothWrong() / g.disagree())));
        }
        h.append("</p>\n");

        h.append("<h2>Training curves</h2>\n<div class=\"charts\">\n");
        int curves = 0;
        curves += image(h, CompareCharts.curves("Test accuracy per epoch", "accuracy", c, EpochMetrics::validationAccuracy));
        curves += image(h, CompareCharts.curves("Training accuracy per epoch", "accuracy", c, EpochMetrics::trainAccuracy));
        curves += image(h, CompareCharts.curves("Training loss per epoch (each algorithm's own loss)", "loss (log scale)", c, EpochMetrics::trainLoss,
                /* logarithmic */ true));
        h.append("</div>\n");
        if (curves == 0) h.append("<p class=\"muted\">Neither file records its training (no provenance).</p>\n");
        h.append("<p class=\"muted\">The test accuracy per epoch is the validation data of each run: the test split unless the run "
                + "held out a validation split. The training losses are not comparable across algorithms: backprop reports its "
                + "loss function, Forward-Forward the sum of its layers' local losses.</p>\n");

        h.append("<h2>Per-class accuracy</h2>\n<div class=\"charts\">\n");
        image(h, CompareCharts.perClass(c));
        h.append("</div>\n<table><thead><tr><th>class</th><th class=\"a\">").append(esc(a.model().name())).append("</th><th class=\"b\">")
                .append(esc(b.model().name())).append("</th></tr></thead><tbody>\n");
        for (int k = 0; k < c.classNames().size(); k++) {
            row(h, k + " " + c.classNames().get(k), CompareConsole.f4(a.perClassAccuracy()[k]), CompareConsole.f4(b.perClassAccuracy()[k]));
        }
        h.append("</tbody></table>\n");

        h.append("<h2>Confusion matrices</h2>\n<div class=\"pair\">\n");
        image(h, CompareCharts.confusion(c, a));
        image(h, CompareCharts.confusion(c, b));
        h.append("</div>\n");

        differences(h, c, origin);

        h.append("<h2>Architecture</h2>\n");
        architecture(h, a);
        architecture(h, b);

        h.append("<h2>Weights</h2>\n");
        weights(h, a);
        weights(h, b);
        h.append("</body></html>\n");
        return h.toString();
    }

    /** The files' own differences, as the console lists them: structure, then each tensor's. */
    private static void differences(StringBuilder h, ModelComparison c, Origin origin) {
        h.append("<h2>File differences</h2>\n<p>");
        h.append(esc(origin.structure().isEmpty() ? "Structure: identical (input, layers, attributes, loss, optimizer)."
                : "Structure: " + origin.structure().size() + " difference" + (origin.structure().size() == 1 ? "" : "s") + ":"));
        h.append("</p>\n");
        if (!origin.structure().isEmpty()) {
            h.append("<ul>\n");
            for (String s : origin.structure()) h.append("<li>").append(esc(s)).append("</li>\n");
            h.append("</ul>\n");
        }
        h.append("<table><thead><tr>");
        for (String col : List.of("tensor", "shape", "different values", "max |a-b|", "mean |a-b|", "rms")) {
            h.append("<th>").append(esc(col)).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (CompareCommand.TensorDiff d : origin.tensors()) {
            List<String> cells = d.comparable()
                    ? List.of(d.name(), d.shapeA(), String.format(Locale.ROOT, "%,d", d.different()), String.format(Locale.ROOT, "%.4g", d.maxAbs()),
                    String.format(Locale.ROOT, "%.4g", d.meanAbs()), String.format(Locale.ROOT, "%.4g", d.rms()))
                    : List.of(d.name(), d.shapeA() + " in " + c.a().model().name() + ", " + d.shapeB() + " in " + c.b().model().name(),
                    "", "", "", "");
            h.append("<tr>");
            for (String cell : cells) h.append("<td>").append(esc(cell)).append("</td>");
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    static int image(StringBuilder h, Chart<?, ?> chart) {
        if (chart == null) return 0;
        String alt = chart.getTitle();
        h.append("<img alt=\"").append(esc(alt)).append("\" width=\"").append(chart.getWidth()).append("\" height=\"")
                .append(chart.getHeight()).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(CompareCharts.png(chart))).append("\">\n");
        return 1;
    }

    /** The training settings of both files side by side. */
    private static void settings(StringBuilder h, ModelComparison.Side a, ModelComparison.Side b) {
        List<String[]> rows = ModelSummary.settingRows(a.model().summary(), b.model().summary());
        if (rows.isEmpty()) return;
        h.append("<h2>Training settings</h2>\n<table><thead><tr><th></th><th class=\"a\">").append(esc(a.model().name()))
                .append("</th><th class=\"b\">").append(esc(b.model().name())).append("</th></tr></thead><tbody>\n");
        for (String[] r : rows) row(h, r[0], r[1], r[2]);
        h.append("</tbody></table>\n");
    }

    /** One row per layer: type, what it reads, per-sample output shape, parameters and state values. */
    private static void architecture(StringBuilder h, ModelComparison.Side s) {
        ModelSummary m = s.model().summary();
        h.append("<h3>").append(esc(s.model().name())).append("</h3>\n");
        if (m == null) {
            h.append("<p class=\"muted\">Not recorded.</p>\n");
            return;
        }
        h.append("<p>").append(esc("input " + m.input() + "; " + m.describe())).append("</p>\n<table><thead><tr>");
        for (String col : List.of("layer", "type", "reads", "output shape", "parameters", "state")) {
            h.append("<th>").append(col).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (ModelSummary.Row r : m.layers()) {
            List<String> cells = List.of(r.name(), r.type(), String.join(", ", r.inputs()), r.outputShape().toString(),
                    CompareConsole.count(r.parameters()), r.state() == 0 ? "" : CompareConsole.count(r.state()));
            h.append("<tr>");
            for (String cell : cells) h.append("<td>").append(esc(cell)).append("</td>");
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void weights(StringBuilder h, ModelComparison.Side s) {
        h.append("<h3>").append(esc(s.model().name())).append("</h3>\n<table><thead><tr>");
        for (String col : List.of("tensor", "shape", "count", "mean", "std", "min", "max", "L2 norm")) {
            h.append("<th>").append(col).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (ModelComparison.WeightStats w : s.weights()) {
            List<String> cells = new ArrayList<>(List.of(w.name(), w.shape().toString(), CompareConsole.count(w.count())));
            for (double v : new double[]{w.mean(), w.std(), w.min(), w.max(), w.l2()}) cells.add(String.format(Locale.ROOT, "%.4g", v));
            h.append("<tr>");
            for (String cell : cells) h.append("<td>").append(esc(cell)).append("</td>");
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void row(StringBuilder h, String label, String a, String b) {
        h.append("<tr><td>").append(esc(label)).append("</td><td>").append(esc(a)).append("</td><td>").append(esc(b)).append("</td></tr>\n");
    }

    private static String epochs(ModelComparison.Side s) {
        ComparedModel.Training t = s.model().training();
        return t == null ? "not recorded" : Integer.toString(t.epochs());
    }

    private static String seconds(ModelComparison.Side s) {
        ComparedModel.Training t = s.model().training();
        return t == null ? "not recorded"
                : String.format(Locale.ROOT, "%.1f s on %d thread%s", t.wallSeconds(), t.threads(), t.threads() == 1 ? "" : "s");
    }

    private static String memory(ModelComparison.Side s, ToLongFunction<ComparedModel.Training> figure) {
        return ComparedModel.Training.mebibytes(s.model().training(), figure);
    }

    /** HTML-escapes text for element content and attribute values. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
