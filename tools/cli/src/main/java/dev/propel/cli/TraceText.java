package dev.propel.cli;

import dev.propel.tensor.Tensor;

import java.util.Locale;
import java.util.Map;

/**
 * {@code propel trace} as text, laid out like a worked example: per step the forward pass per unit layer
 * (net input and output of every unit), the loss, the backward pass (∂L/∂out, δ = ∂L/∂net, the gradient of
 * every weight named source → target unit) and the update (each parameter before → after).
 */
final class TraceText {
    private final int digits;
    private final int maxValues;
    private final StringBuilder sb = new StringBuilder();

    private TraceText(int digits, int maxValues) {
        this.digits = digits;
        this.maxValues = maxValues;
    }

    /** The trace with numbers to {@code digits} decimals, at most {@code maxValues} per list (the rest counted). */
    static String render(Trace trace, Tensor targets, int digits, int maxValues) {
        TraceText t = new TraceText(digits, maxValues);
        for (Trace.Step step : trace.steps()) t.step(trace, step, targets);
        return t.sb.toString();
    }

    private void step(Trace trace, Trace.Step step, Tensor targets) {
        TraceUnits units = TraceUnits.of(step);
        line("step %d: %d example%s, %s, learning rate %s", step.number(), step.batchSize(), step.batchSize() == 1 ? "" : "s",
                trace.optimizer(), Float.toString(step.learningRate()));
        line("forward");
        values("  input", step.layers().getFirst().input(), i -> "i" + (i + 1));
        for (int g = 0; g < units.groups().size(); g++) {
            TraceUnits.Group group = units.groups().get(g);
            line("  %s (%s)", group.label(), describe(group, step));
            if (group.hasPreActivation(step)) values("    net", group.preActivation(step), group::unit);
            values("    out", group.output(step), group::unit);
        }
        if (targets != null) values("  target", targets, i -> units.groups().getLast().unit(i));
        line("  loss (%s) = %s", trace.loss(), number(step.loss()));
        line("backward");
        for (int g = units.groups().size() - 1; g >= 0; g--) {
            TraceUnits.Group group = units.groups().get(g);
            line("  %s", group.label());
            values("    ∂L/∂out", group.gradOutput(step), group::unit);
            if (group.hasPreActivation(step)) values("    δ = ∂L/∂net", group.delta(step), group::unit);
            for (Trace.LayerStep l : group.layers(step)) {
                for (Map.Entry<String, Tensor> e : l.gradients().entrySet()) {
                    parameter("    ∂L/∂" + l.name() + "." + e.getKey(), units, g, e.getKey(), e.getValue(), null);
                }
            }
        }
        line("update");
        for (int g = 0; g < units.groups().size(); g++) {
            for (Trace.LayerStep l : units.groups().get(g).layers(step)) {
                for (String local : l.parameterNames()) {
                    String name = l.name() + "." + local;
                    parameter("  " + name, units, g, local, trace.parametersBefore(step.number()).get(name), step.parametersAfter().get(name));
                }
            }
        }
        for (Map.Entry<String, Tensor> e : step.optimizerState().entrySet()) {
            line("  optimizer state %s = %s", e.getKey(), list(e.getValue()));
        }
        sb.append('\n');
    }

    /** "dense 'hidden' + sigmoid 'hidden_sigmoid'". */
    private static String describe(TraceUnits.Group group, Trace.Step step) {
        StringBuilder d = new StringBuilder();
        for (Trace.LayerStep l : group.layers(step)) {
            d.append(d.isEmpty() ? "" : " + ").append(l.type()).append(" '").append(l.name()).append('\'');
        }
        if (!group.hasPreActivation(step)) d.append(", activation inside the layer: its net input is not seen");
        return d.toString();
    }

    /** One line per example (at most {@code maxValues}): "label  h1 = 0.59327  h2 = 0.59688" (the label only on the first). */
    private void values(String label, Tensor t, java.util.function.IntFunction<String> unit) {
        int rows = t.rows();
        int n = t.rowSize();
        for (int r = 0; r < Math.min(rows, maxValues); r++) {
            StringBuilder l = new StringBuilder(String.format(Locale.ROOT, "%-18s", r == 0 ? label : ""));
            if (rows > 1) l.append(String.format(Locale.ROOT, "#%-3d", r + 1));
            for (int i = 0; i < Math.min(n, maxValues); i++) {
                l.append(' ').append(unit.apply(i)).append(" = ").append(number(t.data()[r * n + i])).append(' ');
            }
            if (n > maxValues) l.append(" … (").append(n - maxValues).append(" more)");
            sb.append(l.toString().stripTrailing()).append('\n');
        }
        if (rows > maxValues) line("%-18s… (%d more examples)", "", rows - maxValues);
    }

    /** A parameter element by element, "w(i1→h1) = 0.00071" or, with {@code after}, "w(i1→h1) 0.10000 → 0.09957". */
    private void parameter(String label, TraceUnits units, int g, String local, Tensor value, Tensor after) {
        line("%s", label);
        int n = value.size();
        for (int i = 0; i < Math.min(n, maxValues); i++) {
            String element = units.parameterElement(g, local, value.shape(), i);
            if (after == null) {
                line("      %-14s = %s", element, number(value.data()[i]));
            } else {
                line("      %-14s %s → %s", element, number(value.data()[i]), number(after.data()[i]));
            }
        }
        if (n > maxValues) line("      … (%d more)", n - maxValues);
    }

    private String list(Tensor t) {
        StringBuilder l = new StringBuilder("[");
        for (int i = 0; i < Math.min(t.size(), maxValues); i++) l.append(i == 0 ? "" : ", ").append(number(t.data()[i]));
        if (t.size() > maxValues) l.append(", … (").append(t.size() - maxValues).append(" more)");
        return l.append(']').toString();
    }

    private String number(float v) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private void line(String format, Object... args) {
        sb.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
