package dev.propel.cli;

import dev.propel.tensor.Tensor;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import static dev.propel.cli.CompareHtml.esc;

/**
 * {@code propel trace --report}: a self-contained HTML page (inline SVG, no scripts or files from elsewhere) that
 * draws the network of each traced step like a textbook figure: the units with their net input, output and δ,
 * the weighted edges with the weight before and after the update, and the biases. With several steps, buttons
 * page through them (without scripts every step is shown). {@code --compare-descent} gets a page with its curves.
 */
final class TraceHtml {
    private static final int COLUMN = 340;
    private static final int ROW = 150;
    private static final int RADIUS = 32;
    private static final int TOP = 70;
    private static final int LEFT = 80;
    private static final Color[] COLORS = {new Color(0x1f, 0x77, 0xb4), new Color(0xff, 0x7f, 0x0e), new Color(0x2c, 0xa0, 0x2c),
            new Color(0xd6, 0x27, 0x28)};

    private TraceHtml() {
    }

    static String tracePage(String specName, Trace trace, Tensor targets, int digits, int maxUnits) {
        StringBuilder h = head("Propel trace: " + specName);
        h.append("<h1>").append(esc(specName)).append("</h1>\n<p class=\"muted\">")
                .append(esc(trace.steps().size() + " step" + (trace.steps().size() == 1 ? "" : "s") + " of " + trace.optimizer()
                        + " on the " + trace.loss() + " loss, traced by propel trace. Each unit shows its output (bold), its net input "
                        + "and δ = ∂L/∂net; each edge the weight before → after the update; hover for the gradients."))
                .append("</p>\n");
        if (trace.steps().size() > 1) {
            h.append("<p id=\"nav\" hidden><button onclick=\"show(-1)\">◀ previous</button> <span id=\"which\"></span> "
                    + "<button onclick=\"show(1)\">next ▶</button></p>\n");
        }
        for (Trace.Step step : trace.steps()) {
            h.append("<section class=\"step\"><h2>").append(esc(String.format(Locale.ROOT, "Step %d: loss %s, learning rate %s",
                    step.number(), number(step.loss(), digits), Float.toString(step.learningRate())))).append("</h2>\n");
            if (step.batchSize() > 1) {
                h.append("<p class=\"muted\">").append(esc("A batch of " + step.batchSize() + " examples: the units show example 1; "
                        + "the gradients and updates are those of the whole batch.")).append("</p>\n");
            }
            svg(h, trace, step, targets, digits, maxUnits);
            h.append("</section>\n");
        }
        h.append("""
                <script>
                const steps = [...document.querySelectorAll('section.step')];
                let at = 0;
                function show(d) {
                  at = Math.max(0, Math.min(steps.length - 1, at + d));
                  steps.forEach((s, i) => s.hidden = i !== at);
                  const w = document.getElementById('which');
                  if (w) w.textContent = 'step ' + (at + 1) + ' of ' + steps.length;
                }
                if (steps.length > 1) { document.getElementById('nav').hidden = false; show(0); }
                </script>
                """);
        return h.append("</body></html>\n").toString();
    }

    private static void svg(StringBuilder h, Trace trace, Trace.Step step, Tensor targets, int digits, int maxUnits) {
        TraceUnits units = TraceUnits.of(step);
        int columns = units.groups().size() + 1;
        int tallest = Math.min(maxUnits, units.inputUnits());
        for (TraceUnits.Group g : units.groups()) tallest = Math.max(tallest, Math.min(maxUnits, g.units()));
        int width = LEFT * 2 + (columns - 1) * COLUMN + (targets != null ? 90 : 0);
        int height = TOP + tallest * ROW + 30;
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"12\">\n");
        Map<String, Tensor> before = trace.parametersBefore(step.number());
        // Edges first, so the units are drawn over their ends.
        for (int g = 0; g < units.groups().size(); g++) {
            TraceUnits.Group group = units.groups().get(g);
            String weight = parameter(units, step, g, 2);
            if (weight == null) continue;
            int from = Math.min(maxUnits, units.sourceUnits(g));
            int to = Math.min(maxUnits, group.units());
            Tensor w0 = before.get(weight);
            Tensor w1 = step.parametersAfter().get(weight);
            Tensor dw = gradient(step, weight);
            int fanIn = units.sourceUnits(g);
            for (int j = 0; j < to; j++) {
                for (int i = 0; i < from; i++) {
                    int k = j * fanIn + i;
                    double x1 = x(g - 1) + RADIUS;
                    double y1 = y(i, from, tallest);
                    double x2 = x(g) - RADIUS;
                    double y2 = y(j, to, tallest);
                    String name = units.parameterElement(g, local(weight), w0.shape(), k);
                    h.append(String.format(Locale.ROOT, "<g><title>%s: %s → %s, ∂L/∂w = %s</title>"
                                    + "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#9ab\" stroke-width=\"1.5\"/>",
                            esc(name), number(w0.data()[k], digits), number(w1.data()[k], digits), number(dw.data()[k], digits), x1, y1, x2, y2));
                    double t = 0.15 + 0.7 * (j + 0.5) / to; // labels of edges into one unit sit at the same distance
                    double lx = x1 + t * (x2 - x1);
                    double ly = y1 + t * (y2 - y1);
                    h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"70\" height=\"44\" rx=\"4\" fill=\"#fff\" "
                                    + "fill-opacity=\"0.9\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#888\" font-size=\"10\">%s</text>"
                                    + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#666\">%s</text>"
                                    + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#1f5fa0\" font-weight=\"bold\">%s</text></g>\n",
                            lx - 35, ly - 22, lx, ly - 10, esc(name), lx, ly + 4, number(w0.data()[k], digits), lx, ly + 18,
                            number(w1.data()[k], digits)));
                }
            }
        }
        Tensor in = step.layers().getFirst().input();
        int inputs = Math.min(maxUnits, units.inputUnits());
        for (int i = 0; i < inputs; i++) {
            unit(h, x(-1), y(i, inputs, tallest), "i" + (i + 1), number(in.data()[i], digits), null, null, "#f4f4f4");
        }
        more(h, x(-1), units.inputUnits() - inputs, tallest);
        for (int g = 0; g < units.groups().size(); g++) {
            TraceUnits.Group group = units.groups().get(g);
            int n = Math.min(maxUnits, group.units());
            Tensor out = group.output(step);
            Tensor net = group.preActivation(step);
            Tensor delta = group.delta(step);
            String bias = parameter(units, step, g, 1);
            for (int j = 0; j < n; j++) {
                double cx = x(g);
                double cy = y(j, n, tallest);
                unit(h, cx, cy, group.unit(j), number(out.data()[j], digits),
                        net == null ? null : "net " + number(net.data()[j], digits),
                        delta == null ? null : "δ " + number(delta.data()[j], digits), g == units.groups().size() - 1 ? "#fde9d9" : "#e3eef9");
                if (bias != null) {
                    h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#555\">b %s → %s</text>\n",
                            cx, cy - RADIUS - 8, number(before.get(bias).data()[j], digits), number(step.parametersAfter().get(bias).data()[j], digits)));
                }
                if (targets != null && g == units.groups().size() - 1) {
                    h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#a33\">target %s</text>\n",
                            cx + RADIUS + 10, cy + 4, number(targets.data()[j], digits)));
                }
            }
            more(h, x(g), group.units() - n, tallest);
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"24\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>\n",
                    x(g), esc(group.label())));
        }
        h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"24\" text-anchor=\"middle\" font-weight=\"bold\">input</text>\n", x(-1)));
        h.append("</svg>\n");
    }

    /** Column of group {@code g} (-1: the inputs). */
    private static double x(int g) {
        return LEFT + (g + 1) * COLUMN;
    }

    /** Row {@code i} of {@code n} units, centred on the tallest column. */
    private static double y(int i, int n, int tallest) {
        return TOP + (tallest - n) * ROW / 2.0 + i * ROW + ROW / 2.0 - 10;
    }

    private static void unit(StringBuilder h, double cx, double cy, String name, String out, String net, String delta, String fill) {
        h.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" stroke=\"#445\" stroke-width=\"1.5\"/>"
                        + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#555\">%s</text>"
                        + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>\n",
                cx, cy, RADIUS, fill, cx, cy - 5, esc(name), cx, cy + 11, out));
        int line = 0;
        for (String s : new String[] {net, delta}) {
            if (s == null) continue;
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">%s</text>\n",
                    cx, cy + RADIUS + 16 + 15 * line++, line == 1 ? "#555" : "#b03030", esc(s)));
        }
    }

    private static void more(StringBuilder h, double cx, int hidden, int tallest) {
        if (hidden <= 0) return;
        h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#777\">… %d more</text>\n",
                cx, (double) TOP + tallest * ROW + 10, hidden));
    }

    /** The full name of group {@code g}'s parameter of this rank that connects units (weight: rank 2, bias: rank 1), or null. */
    private static String parameter(TraceUnits units, Trace.Step step, int g, int rank) {
        TraceUnits.Group group = units.groups().get(g);
        for (Trace.LayerStep l : group.layers(step)) {
            for (String local : l.parameterNames()) {
                var shape = step.parametersAfter().get(l.name() + "." + local).shape();
                boolean fits = rank == 2 ? shape.rank() == 2 && shape.dim(0) == group.units() && shape.dim(1) == units.sourceUnits(g)
                        : shape.rank() == 1 && shape.dim(0) == group.units();
                if (fits) return l.name() + "." + local;
            }
        }
        return null;
    }

    private static Tensor gradient(Trace.Step step, String fullName) {
        for (Trace.LayerStep l : step.layers()) {
            if (fullName.startsWith(l.name() + ".")) return l.gradients().get(local(fullName));
        }
        throw new IllegalStateException("no layer of the trace holds " + fullName);
    }

    private static String local(String fullName) {
        return fullName.substring(fullName.lastIndexOf('.') + 1);
    }

    static String descentPage(String specName, DescentComparison.Result r) {
        StringBuilder h = head("Propel: gradient-descent variants on " + specName);
        h.append("<h1>Batch, stochastic and mini-batch gradient descent</h1>\n<p class=\"muted\">")
                .append(esc(String.format(Locale.ROOT, "%s, %,d training examples; the loss is measured on %,d test examples after every update "
                        + "(%.5f before training). Made by propel trace --compare-descent.", specName, r.trainExamples(), r.evalExamples(),
                        r.initialEvalLoss()))).append("</p>\n<div class=\"charts\">\n");
        CompareHtml.image(h, curves("Test loss per update", "update", r, u -> u.update()));
        CompareHtml.image(h, curves("Test loss per example seen", "examples seen", r, u -> u.examplesSeen()));
        h.append("</div>\n<table><thead><tr><th>variant</th><th>examples per update</th><th>updates</th><th>examples seen</th>"
                + "<th>final test loss</th></tr></thead><tbody>\n");
        for (DescentComparison.Run run : r.runs()) {
            DescentComparison.Update last = run.updates().getLast();
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%.5f</td></tr>\n",
                    esc(run.variant().name()), run.examplesPerUpdate(), last.update(), last.examplesSeen(), last.evalLoss()));
        }
        return h.append("</tbody></table>\n</body></html>\n").toString();
    }

    private static XYChart curves(String title, String xTitle, DescentComparison.Result r, ToDoubleFunction<DescentComparison.Update> x) {
        XYChart chart = new XYChartBuilder().width(640).height(380).title(title).xAxisTitle(xTitle).yAxisTitle("test loss").build();
        CompareCharts.style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true); // updates and examples seen differ by orders of magnitude between variants
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        for (int v = 0; v < r.runs().size(); v++) {
            DescentComparison.Run run = r.runs().get(v);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (DescentComparison.Update u : run.updates()) {
                xs.add(x.applyAsDouble(u));
                ys.add((double) u.evalLoss());
            }
            XYSeries s = chart.addSeries(run.variant().name(), xs, ys);
            s.setLineColor(COLORS[v % COLORS.length]);
            s.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>""").append(esc(title)).append("""
                </title>
                <style>
                body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:2em;color:#222;line-height:1.4}
                h1{font-size:1.5em;margin-bottom:.2em} h2{font-size:1.15em;margin-top:1.5em}
                table{border-collapse:collapse;margin:.6em 0} th,td{padding:.25em .7em;border-bottom:1px solid #eee;text-align:right}
                th:first-child,td:first-child{text-align:left} .muted{color:#777;font-size:.9em} svg{max-width:100%;height:auto}
                .charts{display:flex;flex-wrap:wrap;gap:1em} .charts img{max-width:100%;height:auto;border:1px solid #eee}
                </style></head><body>
                """);
    }

    private static String number(float v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
