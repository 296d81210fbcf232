package dev.propel.cli;

import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The textbook view of a model's Propel layers: a "unit layer" is a layer followed by the parameter-free
 * layers that keep its shape (its activation, e.g. dense then sigmoid), so that the first layer's output is
 * the units' pre-activation ("net") and the last one's their output. Units are named like a worked
 * example: inputs i1, i2, …, hidden units h1, h2, … (h1_1, h2_1, … with several hidden layers), outputs o1, o2, ….
 */
record TraceUnits(List<Group> groups, int inputUnits) {

    /** Propel layers {@code first..last} (inclusive) forming one unit layer; {@code prefix} names its units. */
    record Group(String label, String prefix, int first, int last, int units) {
        String unit(int i) {
            return prefix + (i + 1);
        }

        /** Whether the units' pre-activation is seen: not when the layer applies its activation inside. */
        boolean hasPreActivation(Trace.Step step) {
            return !step.layers().get(first).fusedActivation();
        }

        Tensor preActivation(Trace.Step step) {
            return hasPreActivation(step) ? step.layers().get(first).output() : null;
        }

        /** δ = ∂L/∂(pre-activation). */
        Tensor delta(Trace.Step step) {
            return hasPreActivation(step) ? step.layers().get(first).gradOutput() : null;
        }

        Tensor output(Trace.Step step) {
            return step.layers().get(last).output();
        }

        Tensor gradOutput(Trace.Step step) {
            return step.layers().get(last).gradOutput();
        }

        List<Trace.LayerStep> layers(Trace.Step step) {
            return step.layers().subList(first, last + 1);
        }
    }

    static TraceUnits of(Trace.Step step) {
        List<Trace.LayerStep> layers = step.layers();
        List<int[]> ranges = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Trace.LayerStep l = layers.get(i);
            boolean activationOfPrevious = i > 0 && !l.hasParameters() && l.input().shape().equals(l.output().shape());
            if (activationOfPrevious) {
                ranges.getLast()[1] = i;
            } else {
                ranges.add(new int[] {i, i});
            }
        }
        List<Group> groups = new ArrayList<>();
        int hidden = ranges.size() - 1;
        for (int g = 0; g < ranges.size(); g++) {
            int[] r = ranges.get(g);
            int units = layers.get(r[1]).output().rowSize();
            boolean last = g == ranges.size() - 1;
            String label = last ? "output" : hidden == 1 ? "hidden" : "hidden " + (g + 1);
            String prefix = last ? "o" : hidden == 1 ? "h" : "h" + (g + 1) + "_";
            groups.add(new Group(label, prefix, r[0], r[1], units));
        }
        return new TraceUnits(groups, layers.getFirst().input().rowSize());
    }

    /** The name of unit {@code i} of the layer feeding group {@code g}: an input or a unit of the group before. */
    String sourceUnit(int g, int i) {
        return g == 0 ? "i" + (i + 1) : groups.get(g - 1).unit(i);
    }

    int sourceUnits(int g) {
        return g == 0 ? inputUnits : groups.get(g - 1).units();
    }

    /**
     * The textbook name of element {@code index} of parameter {@code local} of group {@code g} with this shape:
     * {@code w(h1→o1)} for a [units, fan_in] weight, {@code b(o1)} for a [units] bias, else {@code name[i, j]}.
     */
    String parameterElement(int g, String local, dev.propel.tensor.Shape shape, int index) {
        Group group = groups.get(g);
        if (shape.rank() == 2 && shape.dim(0) == group.units() && shape.dim(1) == sourceUnits(g)) {
            return "w(" + sourceUnit(g, index % shape.dim(1)) + "→" + group.unit(index / shape.dim(1)) + ")";
        }
        if (shape.rank() == 1 && shape.dim(0) == group.units() && local.startsWith("b")) {
            return "b(" + group.unit(index) + ")";
        }
        StringBuilder sb = new StringBuilder(local).append('[');
        int rest = index;
        int[] at = new int[shape.rank()];
        for (int d = shape.rank() - 1; d >= 0; d--) {
            at[d] = rest % shape.dim(d);
            rest /= shape.dim(d);
        }
        for (int d = 0; d < at.length; d++) sb.append(d == 0 ? "" : ", ").append(at[d]);
        return sb.append(']').toString();
    }
}
