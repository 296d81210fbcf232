package dev.propel.format.onnx;

import dev.propel.format.onnx.ir.AttributeProto;
import dev.propel.tensor.Tensor;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;

/**
 * Folds the shape arithmetic exporters emit around recurrent operators into constants: {@code Shape} of a
 * computed value (its batch size a symbol, {@link #BATCH}), and {@code Gather}, {@code Slice},
 * {@code Concat}, {@code Unsqueeze}, {@code Squeeze}, {@code Reshape}, {@code Mul} of integer constants; and
 * the zero initial states built from such shapes ({@code ConstantOfShape} of 0, {@code Expand} of a zero,
 * slices of those), which a recurrent operator may read as its initial state. Float constants are folded
 * through {@code Slice}, {@code Concat} (axis 0) and {@code Unsqueeze}/{@code Squeeze}: PyTorch's exporter
 * reorders a trained LSTM's or GRU's gate blocks that way.
 */
final class ShapeFolding {
    /** The batch size in a folded shape: unknown until run time. */
    static final long BATCH = Long.MIN_VALUE / 4;

    private static final Set<String> INTEGER_OPS = Set.of("Gather", "Slice", "Concat", "Unsqueeze", "Squeeze", "Reshape", "Mul", "Cast");

    private ShapeFolding() {
    }

    /** Folds {@code node} when it is shape arithmetic on constants; false when it is not (a mapping then imports it). */
    static boolean fold(ImportGraph g, OnnxNode node) throws IOException {
        String op = node.opType();
        if (op.equals("Shape")) return shape(g, node);
        if (op.equals("ConstantOfShape") && g.intConstant(node.input(0)) != null) return constantOfShape(g, node);
        if (op.equals("Expand") && g.intConstant(node.input(1)) != null && (g.isZeros(node.input(0)) || isZero(g.floatConstant(node.input(0))))) {
            g.zeros(node.output());
            return true;
        }
        if ((op.equals("Slice") || op.equals("Squeeze") || op.equals("Unsqueeze") || op.equals("Reshape")) && g.isZeros(node.input(0))) {
            g.zeros(node.output());
            return true;
        }
        if (g.floatConstant(node.input(0)) != null) return foldFloat(g, node);
        if (!INTEGER_OPS.contains(op)) return false;
        long[][] in = new long[node.inputs().size()][];
        for (int i = 0; i < in.length; i++) {
            if (node.input(i).isEmpty()) continue;
            in[i] = g.intConstant(node.input(i));
            if (in[i] == null) return false;
        }
        if (in.length == 0 || in[0] == null) return false;
        long[] out = switch (op) {
            case "Gather" -> gather(g, node, in);
            case "Slice" -> slice(g, node, in);
            case "Concat" -> concat(in);
            case "Mul" -> multiply(g, node, in);
            case "Cast" -> isIntegerType(node.intAttr("to", 0)) ? in[0] : null;
            default -> in[0]; // Unsqueeze, Squeeze, Reshape: the values stay, only the rank changes (integer constants are flat)
        };
        if (out == null) return false;
        g.constant(node.output(), out);
        return true;
    }

    private static boolean foldFloat(ImportGraph g, OnnxNode node) {
        Tensor t = g.floatConstant(node.input(0));
        int rank = t.shape().rank();
        Tensor out = switch (node.opType()) {
            case "Slice" -> {
                long[] starts = g.intConstant(node.input(1)), ends = g.intConstant(node.input(2));
                long[] axes = node.input(3).isEmpty() ? new long[] {0} : g.intConstant(node.input(3));
                long[] steps = node.input(4).isEmpty() ? new long[] {1} : g.intConstant(node.input(4));
                if (starts == null || ends == null || axes == null || steps == null || starts.length != 1 || axes.length != 1
                        || steps[0] != 1) yield null;
                int axis = (int) (axes[0] < 0 ? axes[0] + rank : axes[0]);
                if (axis < 0 || axis >= rank) yield null;
                int n = t.shape().dim(axis);
                int start = clamp(starts[0], n), end = Math.max(start, clamp(ends[0], n));
                yield start == end ? null : t.slice(axis, start, end - start).contiguous();
            }
            case "Concat" -> concatRows(g, node);
            case "Unsqueeze", "Squeeze" -> node.input(1).isEmpty() ? null : reshaped(t, node.opType(), g.intConstant(node.input(1)));
            default -> null;
        };
        if (out == null) return false;
        g.constant(node.output(), out);
        return true;
    }

    /** {@code t} with the axes {@code axes} (of size 1) removed ({@code Squeeze}) or inserted ({@code Unsqueeze}), or null. */
    private static Tensor reshaped(Tensor t, String op, long[] axes) {
        if (axes == null) return null;
        int rank = t.shape().rank();
        java.util.List<Integer> dims = new java.util.ArrayList<>();
        for (int d : t.shape().dims()) dims.add(d);
        if (op.equals("Squeeze")) {
            for (int i = rank - 1; i >= 0; i--) {
                final int at = i;
                if (Arrays.stream(axes).anyMatch(a -> a == at || a + rank == at)) {
                    if (dims.get(i) != 1) return null;
                    dims.remove(i);
                }
            }
        } else {
            long[] sorted = axes.clone();
            for (int i = 0; i < sorted.length; i++) if (sorted[i] < 0) sorted[i] += rank + axes.length;
            Arrays.sort(sorted);
            for (long a : sorted) {
                if (a < 0 || a > dims.size()) return null;
                dims.add((int) a, 1);
            }
        }
        return t.contiguous().reshape(dims.stream().mapToInt(Integer::intValue).toArray());
    }

    /** {@code Concat} of float constants along axis 0, or null. */
    private static Tensor concatRows(ImportGraph g, OnnxNode node) {
        if (node.intAttr("axis", 0) != 0) return null;
        java.util.List<Tensor> parts = new java.util.ArrayList<>();
        int rows = 0;
        for (String in : node.inputs()) {
            Tensor p = g.floatConstant(in);
            if (p == null || p.shape().rank() == 0) return null;
            if (!parts.isEmpty() && p.shape().rank() != parts.getFirst().shape().rank()) return null;
            parts.add(p.contiguous());
            rows += p.shape().dim(0);
        }
        int[] dims = parts.getFirst().shape().dims().clone();
        dims[0] = rows;
        Tensor out = Tensor.zeros(dims);
        int at = 0;
        for (Tensor p : parts) {
            if (p.size() / p.shape().dim(0) != out.size() / rows) return null;
            System.arraycopy(p.data(), p.offset(), out.data(), at, p.size());
            at += p.size();
        }
        return out;
    }

    private static boolean shape(ImportGraph g, OnnxNode node) {
        String x = node.input(0);
        long[] dims;
        ImportGraph.Deferred d = g.deferred(x);
        if (d != null) {
            dims = d.dims();
        } else if (g.isComputed(x)) {
            int[] perSample = g.shape(x).dims();
            dims = new long[perSample.length + 1];
            dims[0] = BATCH;
            for (int i = 0; i < perSample.length; i++) dims[i + 1] = perSample[i];
        } else {
            return false;
        }
        int n = dims.length;
        int start = clamp(node.intAttr("start", 0), n);
        int end = clamp(node.intAttr("end", n), n);
        g.constant(node.output(), Arrays.copyOfRange(dims, start, Math.max(start, end)));
        return true;
    }

    private static boolean constantOfShape(ImportGraph g, OnnxNode node) throws IOException {
        AttributeProto value = node.attribute("value");
        if (value == null || OnnxTensors.isFloat(value.getT()) && isZero(OnnxTensors.readFloat(value.getT(), node.describe(), null))) {
            g.zeros(node.output());
            return true;
        }
        return false;
    }

    private static long[] gather(ImportGraph g, OnnxNode node, long[][] in) {
        if (node.intAttr("axis", 0) != 0 || in[1] == null) return null;
        long[] out = new long[in[1].length];
        for (int i = 0; i < out.length; i++) {
            long k = in[1][i] < 0 ? in[1][i] + in[0].length : in[1][i];
            if (k < 0 || k >= in[0].length) throw g.refuse(node, "gathers index " + in[1][i] + " of " + in[0].length + " values");
            out[i] = in[0][(int) k];
        }
        return out;
    }

    private static long[] slice(ImportGraph g, OnnxNode node, long[][] in) {
        if (in.length < 3 || in[1] == null || in[2] == null || in[1].length != 1) return null;
        if (in.length > 3 && in[3] != null && (in[3].length != 1 || in[3][0] != 0 && in[3][0] != -1)) return null;
        if (in.length > 4 && in[4] != null && (in[4].length != 1 || in[4][0] != 1)) return null;
        int n = in[0].length;
        int start = clamp(in[1][0], n);
        int end = clamp(in[2][0], n);
        return Arrays.copyOfRange(in[0], start, Math.max(start, end));
    }

    private static long[] concat(long[][] in) {
        return Arrays.stream(in).filter(a -> a != null).flatMapToLong(Arrays::stream).toArray();
    }

    private static long[] multiply(ImportGraph g, OnnxNode node, long[][] in) {
        if (in.length != 2 || in[1] == null) return null;
        long[] a = in[0], b = in[1];
        int n = Math.max(a.length, b.length);
        if (a.length != n && a.length != 1 || b.length != n && b.length != 1) return null;
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long x = a[a.length == 1 ? 0 : i], y = b[b.length == 1 ? 0 : i];
            // The batch times 1 stays the batch; the batch times anything else is no shape Propel can hold.
            if (x == BATCH || y == BATCH) {
                if (!(x == BATCH && y == 1 || y == BATCH && x == 1)) return null;
                out[i] = BATCH;
            } else {
                try {
                    out[i] = Math.multiplyExact(x, y);
                } catch (ArithmeticException e) {
                    return null; // no shape: left to the mappings, which refuse the node
                }
            }
        }
        return out;
    }

    private static boolean isIntegerType(long type) {
        return type == 6 || type == 7; // INT32, INT64
    }

    /** Whether {@code t} is a constant of zeros (false for null). */
    static boolean isZero(Tensor t) {
        if (t == null) return false;
        for (float f : t.contiguous().toArray()) if (f != 0f) return false;
        return true;
    }

    private static int clamp(long index, int n) {
        long i = index < 0 ? index + n : index;
        return (int) Math.max(0, Math.min(n, i));
    }
}
