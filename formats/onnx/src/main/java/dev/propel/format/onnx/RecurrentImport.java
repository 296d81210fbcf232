package dev.propel.format.onnx;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports ONNX {@code RNN}, {@code LSTM} and {@code GRU} operators as Propel's {@code rnn}, {@code lstm},
 * {@code gru} layers. ONNX runs them time-major ({@code layout = 0}: X {@code [T, batch, F]}, Y
 * {@code [T, D, batch, H]}, Y_h {@code [D, batch, H]}) or batch-major ({@code layout = 1}); Propel's values
 * are batch-first. So the values between the batch-first world and the operator are followed as
 * <em>views</em>: each axis labelled (batch, time, features, direction, hidden), through the
 * {@code Transpose}, {@code Squeeze}, {@code Reshape}, {@code Gather} and {@code Slice} nodes exporters emit
 * (PyTorch: {@code out[:, -1, :]} after {@code nn.LSTM(batch_first=True)}; Propel: the final states). A
 * view becomes a Propel value when a node reads it in Propel's layout: {@code [batch, T, D·H]} (the layer
 * with {@code return_sequences}) or {@code [batch, D·H]} (the last step). Successive operators of one kind,
 * size and direction reading each other's sequence become one layer with {@code num_layers} stacked.
 */
final class RecurrentImport {
    /** Operators that may read a view; others read it through {@link ImportGraph#computedInput}. */
    static final Set<String> VIEW_OPERATORS = Set.of("Transpose", "Squeeze", "Reshape", "Gather", "Slice");

    private RecurrentImport() {
    }

    /** One axis of a view: batch, time, one time step, features of the layer input, direction, hidden, direction·hidden. */
    private record Axis(char kind, long size) {
        boolean droppable() {
            return size == 1 && (kind == 'D' || kind == '1');
        }

        @Override
        public String toString() {
            return switch (kind) {
                case 'B' -> "batch";
                case 'T' -> "T=" + size;
                case '1' -> "step";
                case 'F' -> "F=" + size;
                case 'D' -> "D=" + size;
                case 'H' -> "H=" + size;
                default -> "D·H=" + size;
            };
        }
    }

    /** A stack of recurrent operators becoming one Propel layer. */
    private static final class Stack {
        final RecurrentGates gates;
        final OnnxNode naming;
        final String input;
        final int hidden;
        final int directions;
        final boolean bias;
        final String nonlinearity;
        final Map<String, Tensor> parameters = new LinkedHashMap<>();
        int layers;
        boolean claimed;

        Stack(RecurrentGates gates, OnnxNode naming, String input, int hidden, int directions, boolean bias, String nonlinearity) {
            this.gates = gates;
            this.naming = naming;
            this.input = input;
            this.hidden = hidden;
            this.directions = directions;
            this.bias = bias;
            this.nonlinearity = nonlinearity;
        }
    }

    /** A value on its way: a transposed layer input ({@code stack} null) or a view of Y, Y_h or Y_c of a stack of {@code level} layers. */
    private record View(Stack stack, int level, String source, OnnxNode node, char output, List<Axis> axes, boolean lastStep)
            implements ImportGraph.Deferred {

        View with(List<Axis> newAxes, boolean last) {
            return new View(stack, level, source, node, output, newAxes, last);
        }

        List<Axis> kept() {
            return axes.stream().filter(a -> !a.droppable()).toList();
        }

        @Override
        public long[] dims() {
            return axes.stream().mapToLong(a -> a.kind == 'B' ? ShapeFolding.BATCH : a.size).toArray();
        }

        String describe() {
            return (stack == null ? "the transposed input of " : "output " + (output == 'Y' ? "Y" : output == 'h' ? "Y_h" : "Y_c")
                    + " of ") + node.describe() + ", of layout " + axes;
        }

        @Override
        public void materialize(ImportGraph g, OnnxNode reader, String value) {
            String by = reader == null ? "the graph output '" + value + "'" : reader.describe();
            List<Axis> k = kept();
            if (stack == null) {
                if (!(k.size() == 3 && k.get(0).kind == 'B' && k.get(1).kind == 'T')) {
                    throw g.refuse(reader == null ? node : reader, "reads " + describe() + "; Propel imports a Transpose of a computed"
                            + " value only as the time-major input of RNN, LSTM or GRU");
                }
                g.alias(value, source);
                return;
            }
            if (output == 'c') {
                throw g.refuse(node, "has its cell state Y_c read by " + by + "; Propel's lstm layer outputs the hidden states only");
            }
            if (reader == null && k.size() != axes.size()) {
                throw g.refuse(node, "has its output read by " + by + " in the layout " + axes + ", whose unit axes Propel's values"
                        + " do not keep; Propel imports a recurrent output once it is [batch, T, D·H] (every step) or [batch, D·H]"
                        + " (the final states, Y_h)");
            }
            if (stack.claimed || level != stack.layers) {
                throw g.refuse(node, "has its output read twice (again by " + by + "); Propel imports a recurrent operator whose"
                        + " output one node reads");
            }
            int width = stack.directions * stack.hidden;
            boolean sequence = output == 'Y' && !lastStep && k.size() == 3 && k.get(0).kind == 'B' && k.get(1).kind == 'T'
                    && k.get(2).size == width && k.get(2).kind != 'F';
            boolean last = (output == 'h' || lastStep) && k.size() == 2 && k.get(0).kind == 'B' && k.get(1).size == width
                    && (k.get(1).kind == 'M' || k.get(1).kind == 'H');
            if (!sequence && !last) {
                throw g.refuse(node, "has its output read by " + by + " in the layout " + axes + "; Propel imports a recurrent"
                        + " output once it is [batch, T, D·H] (every step) or [batch, D·H] (the final states, Y_h)");
            }
            stack.claimed = true;
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("hidden_size", stack.hidden);
            attributes.put("num_layers", stack.layers);
            attributes.put("return_sequences", sequence);
            attributes.put("bidirectional", stack.directions == 2);
            attributes.put("bias", stack.bias);
            if (stack.gates == RecurrentGates.RNN) attributes.put("nonlinearity", stack.nonlinearity);
            int steps = g.shape(stack.input).dim(0);
            g.addLayer(stack.naming, stack.gates.layerType, attributes, List.of(stack.input), stack.parameters, value,
                    sequence ? Shape.of(steps, width) : Shape.of(width));
        }
    }

    /** A {@code Transpose} of a computed value: the time-major input of a recurrent operator, followed as a view. */
    static void transposeInput(ImportGraph g, OnnxNode node) {
        String x = g.computedInput(node, 0);
        Shape s = g.shape(x);
        if (s.rank() != 2) {
            throw g.refuse(node, "transposes a computed value of per-sample shape " + s + "; Propel imports a Transpose of a"
                    + " computed value only as the [T, batch, F] input of RNN, LSTM or GRU, or around a LayerNormalization"
                    + " (Transpose, LayerNormalization, the inverse Transpose)");
        }
        View plain = new View(null, 0, x, node, 'X', List.of(new Axis('B', 0), new Axis('T', s.dim(0)), new Axis('F', s.dim(1))), false);
        g.defer(node.output(), transposed(g, node, plain));
    }

    /** A node of {@link #VIEW_OPERATORS} reading a view: the view it makes. */
    static void view(ImportGraph g, OnnxNode node) {
        View v = (View) g.deferred(node.input(0));
        View out = switch (node.opType()) {
            case "Transpose" -> transposed(g, node, v);
            case "Squeeze" -> squeezed(g, node, v);
            case "Reshape" -> reshaped(g, node, v);
            case "Gather" -> gathered(g, node, v);
            default -> sliced(g, node, v);
        };
        g.defer(node.output(), out);
    }

    private static View transposed(ImportGraph g, OnnxNode node, View v) {
        List<Long> perm = node.intsAttr("perm");
        int n = v.axes.size();
        if (perm != null && (perm.size() != n || perm.stream().distinct().count() != n || perm.stream().anyMatch(p -> p < 0 || p >= n))) {
            throw g.refuse(node, "has perm " + perm + ", which is no permutation of the " + n + " axes of " + v.describe());
        }
        List<Axis> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(v.axes.get(perm == null ? n - 1 - i : perm.get(i).intValue()));
        return v.with(out, v.lastStep);
    }

    private static View squeezed(ImportGraph g, OnnxNode node, View v) {
        List<Long> axes = node.input(1).isEmpty() ? node.intsAttr("axes") : boxed(g.intConstant(node.input(1)));
        if (axes == null && !node.input(1).isEmpty()) throw g.refuse(node, "reads its axes from a computed value; Propel needs constant axes");
        List<Axis> out = new ArrayList<>();
        for (int i = 0; i < v.axes.size(); i++) {
            Axis a = v.axes.get(i);
            boolean listed = axes == null ? a.droppable() : axes.contains((long) i) || axes.contains((long) (i - v.axes.size()));
            if (!listed) out.add(a);
            else if (!a.droppable()) throw g.refuse(node, "squeezes the axis " + a + " of " + v.describe() + ", which is not of size 1");
        }
        return v.with(out, v.lastStep);
    }

    private static View gathered(ImportGraph g, OnnxNode node, View v) {
        long[] index = g.intConstant(node.input(1));
        int axis = axis(g, node, node.intAttr("axis", 0), v);
        Axis a = v.axes.get(axis);
        if (index == null || index.length != 1) throw g.refuse(node, "gathers from " + v.describe() + " by a non-constant or several indices; Propel takes a single step");
        boolean lastOfTime = a.kind == 'T' && (index[0] == -1 || index[0] == a.size - 1);
        boolean onlyDirection = a.kind == 'D' && a.size == 1 && (index[0] == 0 || index[0] == -1);
        if (lastOfTime) requireOneDirection(g, node, v);
        else if (!onlyDirection) {
            throw g.refuse(node, "takes index " + index[0] + " of the axis " + a + " of " + v.describe() + "; Propel imports taking the last"
                    + " time step (index -1) or the only direction");
        }
        List<Axis> out = new ArrayList<>(v.axes);
        out.remove(axis);
        return v.with(out, v.lastStep || lastOfTime);
    }

    private static View sliced(ImportGraph g, OnnxNode node, View v) {
        long[] starts = g.intConstant(node.input(1));
        long[] ends = g.intConstant(node.input(2));
        long[] axes = node.input(3).isEmpty() ? new long[] {0} : g.intConstant(node.input(3));
        long[] steps = node.input(4).isEmpty() ? new long[] {1} : g.intConstant(node.input(4));
        if (starts == null || ends == null || axes == null || steps == null || starts.length != 1 || axes.length != 1) {
            throw g.refuse(node, "slices " + v.describe() + " by non-constant or several ranges; Propel imports taking the last time step");
        }
        int axis = axis(g, node, axes[0], v);
        Axis a = v.axes.get(axis);
        if (!(a.kind == 'T' && (starts[0] == -1 || starts[0] == a.size - 1) && ends[0] >= a.size && steps[0] == 1)) {
            throw g.refuse(node, "slices [" + starts[0] + ", " + ends[0] + ") of the axis " + a + " of " + v.describe()
                    + "; Propel imports taking the last time step ([-1:] of the time axis)");
        }
        requireOneDirection(g, node, v);
        List<Axis> out = new ArrayList<>(v.axes);
        out.set(axis, new Axis('1', 1));
        return v.with(out, true);
    }

    /** PyTorch's out[:, -1] of a bidirectional layer takes the backward direction's first step; Propel's last output its final state. */
    private static void requireOneDirection(ImportGraph g, OnnxNode node, View v) {
        if (v.stack == null || v.output != 'Y' || v.stack.directions != 1) {
            throw g.refuse(node, "takes the last time step of " + v.describe() + "; for a bidirectional layer that is the backward"
                    + " direction's first step, which Propel's lstm/gru/rnn do not output: read the final states Y_h (PyTorch's h_n)"
                    + " instead, or return every step");
        }
    }

    private static View reshaped(ImportGraph g, OnnxNode node, View v) {
        long[] target = g.intConstant(node.input(1));
        if (target == null) throw g.refuse(node, "reshapes " + v.describe() + " to a computed shape; Propel needs a constant one");
        List<Axis> cur = v.axes;
        long[] sizes = new long[target.length];
        int minusOne = -1;
        boolean batchNamed = false;
        for (int i = 0; i < target.length; i++) {
            long t = target[i];
            if (t == 0 && node.intAttr("allowzero", 0) == 0 && i < cur.size()) t = cur.get(i).kind == 'B' ? ShapeFolding.BATCH : cur.get(i).size;
            if (t == -1) minusOne = i;
            else if (t != ShapeFolding.BATCH && t < 1) throw g.refuse(node, "reshapes " + v.describe() + " to " + java.util.Arrays.toString(target));
            batchNamed |= t == ShapeFolding.BATCH;
            sizes[i] = t;
        }
        long known = 1;
        for (long s : sizes) if (s > 0) known *= s;
        long have = 1;
        for (Axis a : cur) if (a.kind != 'B') have *= a.size;
        if (minusOne >= 0) sizes[minusOne] = batchNamed ? have / known : ShapeFolding.BATCH;
        if (minusOne >= 0 && !batchNamed && have != known) throw g.refuse(node, "reshapes " + v.describe() + " so that the batch mixes with other axes");
        List<Axis> out = new ArrayList<>();
        int p = 0;
        for (long s : sizes) {
            List<Axis> group = new ArrayList<>();
            if (s == ShapeFolding.BATCH) {
                while (p < cur.size() && cur.get(p).droppable()) p++;
                if (p >= cur.size() || cur.get(p).kind != 'B') throw refuseReshape(g, node, v, target);
                out.add(cur.get(p++));
                continue;
            }
            long acc = 1;
            while (p < cur.size() && (group.isEmpty() || acc < s) && cur.get(p).kind != 'B') {
                acc *= cur.get(p).size;
                group.add(cur.get(p++));
            }
            if (acc != s) throw refuseReshape(g, node, v, target);
            List<Axis> kept = group.stream().filter(a -> !a.droppable()).toList();
            if (kept.isEmpty()) out.add(group.getFirst());
            else if (kept.size() == 1) out.add(kept.getFirst());
            else if (kept.size() == 2 && kept.get(0).kind == 'D' && kept.get(1).kind == 'H') out.add(new Axis('M', s));
            else throw refuseReshape(g, node, v, target);
        }
        while (p < cur.size() && cur.get(p).droppable()) p++;
        if (p != cur.size()) throw refuseReshape(g, node, v, target);
        return v.with(out, v.lastStep);
    }

    private static RuntimeException refuseReshape(ImportGraph g, OnnxNode node, View v, long[] target) {
        return g.refuse(node, "reshapes " + v.describe() + " to " + java.util.Arrays.toString(target).replace(String.valueOf(ShapeFolding.BATCH), "batch")
                + "; Propel imports reshapes of a recurrent value that join the directions' hidden states (D, H to D·H) or drop axes of size 1");
    }

    private static int axis(ImportGraph g, OnnxNode node, long axis, View v) {
        long a = axis < 0 ? axis + v.axes.size() : axis;
        if (a < 0 || a >= v.axes.size()) throw g.refuse(node, "names axis " + axis + " of " + v.describe());
        return (int) a;
    }

    private static List<Long> boxed(long[] v) {
        if (v == null) return null;
        List<Long> l = new ArrayList<>();
        for (long x : v) l.add(x);
        return l;
    }

    /** An {@code RNN}, {@code LSTM} or {@code GRU} node: checked, its weights taken, its outputs deferred as views. */
    static void recurrent(ImportGraph g, OnnxNode node) {
        RecurrentGates gates = RecurrentGates.ofOperator(node.opType());
        long layout = node.intAttr("layout", 0);
        if (layout != 0 && layout != 1) throw g.refuse(node, "has layout = " + layout + "; ONNX defines 0 (time-major) and 1 (batch-major)");
        String direction = node.stringAttr("direction", "forward");
        if (!direction.equals("forward") && !direction.equals("bidirectional")) {
            throw g.refuse(node, "has direction = '" + direction + "'; Propel's layers run forward or bidirectional");
        }
        int directions = direction.equals("bidirectional") ? 2 : 1;
        String nonlinearity = checkAttributes(g, node, gates, directions);
        Tensor w = g.floatConstant(node.input(1));
        Tensor r = g.floatConstant(node.input(2));
        if (w == null || r == null || w.shape().rank() != 3 || r.shape().rank() != 3) {
            throw g.refuse(node, "needs constant weights W [D, G·H, F] and R [D, G·H, H] (initializers)");
        }
        int hidden = r.shape().dim(2);
        int rows = gates.count() * hidden;
        if (w.shape().dim(0) != directions || r.shape().dim(0) != directions || w.shape().dim(1) != rows || r.shape().dim(1) != rows
                || node.intAttr("hidden_size", hidden) != hidden) {
            throw g.refuse(node, "has weights W " + w.shape() + " and R " + r.shape() + " that do not fit " + directions + " direction(s) of "
                    + gates.count() + " gate blocks of hidden_size " + node.intAttr("hidden_size", hidden));
        }
        Tensor b = node.input(3).isEmpty() ? null : g.floatConstant(node.input(3));
        if (!node.input(3).isEmpty() && (b == null || !b.shape().equals(Shape.of(directions, 2 * rows)))) {
            throw g.refuse(node, "has a bias B that is not a constant of shape [" + directions + ", " + 2 * rows + "]");
        }
        if (!node.input(4).isEmpty()) {
            throw g.refuse(node, "reads sequence_lens '" + node.input(4) + "'; Propel's layers run every sequence over all its steps (omit the input)");
        }
        for (int i = 5; i <= 6 && i < node.inputs().size(); i++) {
            String v = node.input(i);
            if (!v.isEmpty() && !g.isZeros(v) && !ShapeFolding.isZero(g.floatConstant(v))) {
                throw g.refuse(node, "starts from the initial " + (i == 5 ? "state initial_h" : "cell initial_c") + " '" + v
                        + "', which is not all zeros; Propel's layers start from zero states");
            }
        }
        if (!node.input(7).isEmpty()) {
            throw g.refuse(node, "has peepholes (input P '" + node.input(7) + "'); Propel's lstm has none (PyTorch's nn.LSTM neither)");
        }
        Stack stack = stackFor(g, node, gates, layout, hidden, directions, b != null, nonlinearity, w.shape().dim(2));
        int l = stack.layers++;
        int in = w.shape().dim(2);
        float[] wd = w.contiguous().data(), rd = r.contiguous().data(), bd = b == null ? null : b.contiguous().data();
        for (int d = 0; d < directions; d++) {
            String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
            gates.fromOnnx(wd, d * rows * in, put(stack, "weight_ih" + suffix, rows, in), hidden * in);
            gates.fromOnnx(rd, d * rows * hidden, put(stack, "weight_hh" + suffix, rows, hidden), hidden * hidden);
            if (bd != null) {
                gates.fromOnnx(bd, d * 2 * rows, put(stack, "bias_ih" + suffix, rows), hidden);
                gates.fromOnnx(bd, d * 2 * rows + rows, put(stack, "bias_hh" + suffix, rows), hidden);
            }
        }
        int steps = g.shape(stack.input).dim(0);
        Axis batch = new Axis('B', 0), time = new Axis('T', steps), dir = new Axis('D', directions), h = new Axis('H', hidden);
        for (int i = 0; i < 3 && i < node.outputs().size(); i++) {
            String value = node.outputs().get(i);
            if (value.isEmpty()) continue;
            List<Axis> axes = switch (i) {
                case 0 -> layout == 0 ? List.of(time, dir, batch, h) : List.of(batch, time, dir, h);
                default -> layout == 0 ? List.of(dir, batch, h) : List.of(batch, dir, h);
            };
            g.defer(value, new View(stack, stack.layers, null, node, i == 0 ? 'Y' : i == 1 ? 'h' : 'c', axes, false));
        }
    }

    private static Tensor put(Stack stack, String name, int... dims) {
        Tensor t = Tensor.zeros(dims);
        stack.parameters.put(name, t);
        return t;
    }

    /** The stack this node starts (reading a transposed input) or continues (reading the sequence of an equal one). */
    private static Stack stackFor(ImportGraph g, OnnxNode node, RecurrentGates gates, long layout, int hidden, int directions,
                                  boolean bias, String nonlinearity, int features) {
        String x = node.input(0);
        ImportGraph.Deferred d = g.deferred(x);
        String want = layout == 0 ? "[T, batch, F]" : "[batch, T, F]";
        if (d == null) {
            String input = g.computedInput(node, 0);
            Shape s = g.shape(input);
            if (layout == 0 || s.rank() != 2) {
                throw g.refuse(node, "reads '" + x + "' of per-sample shape " + s + " as its input X " + want + "; Propel's values are"
                        + " [batch, T, F] (batch first): transpose a batch-first value to it, or use layout = 1");
            }
            return checkedInput(g, node, new Stack(gates, node, input, hidden, directions, bias, nonlinearity), s, features);
        }
        View v = (View) d;
        List<Axis> k = v.kept();
        boolean timeMajor = k.size() == 3 && k.get(0).kind == 'T' && k.get(1).kind == 'B';
        boolean batchMajor = k.size() == 3 && k.get(0).kind == 'B' && k.get(1).kind == 'T';
        if (!(layout == 0 ? timeMajor : batchMajor) || v.lastStep || v.output == 'h' || v.output == 'c') {
            throw g.refuse(node, "reads " + v.describe() + " as its input X " + want);
        }
        if (v.stack == null) {
            // A Propel export names the layer's first node (the Transpose) after the layer: keep that name.
            OnnxNode naming = g.fromPropel() && node.name().startsWith(v.node.name() + "/") ? v.node : node;
            return checkedInput(g, node, new Stack(gates, naming, v.source, hidden, directions, bias, nonlinearity), g.shape(v.source), features);
        }
        Stack below = v.stack;
        if (below.claimed || v.level != below.layers || below.gates != gates || below.hidden != hidden || below.directions != directions || below.bias != bias
                || !java.util.Objects.equals(below.nonlinearity, nonlinearity)) {
            throw g.refuse(node, "reads the sequence of " + v.node.describe() + ", which differs in operator, hidden size, direction,"
                    + " bias or activation (or is read elsewhere); Propel stacks equal recurrent layers in one layer (num_layers)");
        }
        if (features != directions * hidden) throw g.refuse(node, "has W for " + features + " input features, but reads " + directions * hidden);
        return below;
    }

    private static Stack checkedInput(ImportGraph g, OnnxNode node, Stack s, Shape input, int features) {
        if (input.dim(1) != features) {
            throw g.refuse(node, "has W for " + features + " input features but reads " + input.dim(1) + " per step (input " + input + ")");
        }
        return s;
    }

    /** Refuses what Propel's layers do not compute; returns the rnn nonlinearity ("tanh" or "relu"), null for LSTM/GRU. */
    private static String checkAttributes(ImportGraph g, OnnxNode node, RecurrentGates gates, int directions) {
        if (node.has("clip")) throw g.refuse(node, "has attribute clip = " + node.floatAttr("clip", 0f) + "; Propel's layers do not clip (omit it)");
        if (node.has("activation_alpha") || node.has("activation_beta")) {
            throw g.refuse(node, "has attribute activation_alpha/activation_beta; Propel imports the default activations only");
        }
        if (gates == RecurrentGates.LSTM && node.intAttr("input_forget", 0) != 0) {
            throw g.refuse(node, "has attribute input_forget = 1 (coupled gates); Propel's lstm supports input_forget = 0 only");
        }
        if (gates == RecurrentGates.GRU && node.intAttr("linear_before_reset", 0) != 1) {
            throw g.refuse(node, "has attribute linear_before_reset = 0; Propel's gru is PyTorch's nn.GRU, which is"
                    + " linear_before_reset = 1 (the reset gate applied after the recurrent product)");
        }
        List<String> defaults = switch (gates) {
            case RNN -> List.of("Tanh");
            case LSTM -> List.of("Sigmoid", "Tanh", "Tanh");
            case GRU -> List.of("Sigmoid", "Tanh");
        };
        List<String> given = strings(node, "activations");
        if (given == null) return gates == RecurrentGates.RNN ? "tanh" : null;
        List<String> relu = List.of("Relu");
        for (List<String> allowed : gates == RecurrentGates.RNN ? List.of(defaults, relu) : List.of(defaults)) {
            List<String> all = new ArrayList<>();
            for (int d = 0; d < directions; d++) all.addAll(allowed);
            if (all.equals(given)) return gates == RecurrentGates.RNN ? allowed.getFirst().toLowerCase(java.util.Locale.ROOT) : null;
        }
        throw g.refuse(node, "has attribute activations = " + given + "; Propel imports " + node.opType() + " with "
                + (gates == RecurrentGates.RNN ? "Tanh or Relu" : String.join(", ", defaults)) + " (per direction)");
    }

    /** The STRINGS attribute {@code name} of {@code node}, or null. */
    private static List<String> strings(OnnxNode node, String name) {
        var attr = node.attribute(name);
        return attr == null ? null : attr.getStringsList().stream().map(com.google.protobuf.ByteString::toStringUtf8).toList();
    }
}
