package dev.propel.format.onnx;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code layer_norm} ↔ {@code LayerNormalization}, which normalizes the axes from {@code axis} to the last.
 * Export: when Propel's (consecutive) {@code axes} end at the last axis, one node with
 * {@code axis = first + 1}; otherwise, as for ConvNeXt's channel norm ({@code "axes": [0]} on
 * [C, H, W]), {@code Transpose} (the normalized axes moved to the end) → {@code LayerNormalization} →
 * {@code Transpose} back. Scale and bias are the initializers {@code <layer>.weight} and {@code .bias}
 * (ones and zeros for {@code elementwise_affine: false}). Import: {@code LayerNormalization} with a
 * constant scale (and bias, else zeros) over trailing per-sample axes, and the same sandwich as PyTorch
 * writes it for {@code LayerNorm} on permuted NCHW data: a {@code Transpose} of a computed value is
 * imported only as the start of such a sandwich whose normalized axes are consecutive in the original
 * order and whose closing {@code Transpose} restores it.
 */
final class LayerNormMapping implements LayerMapping {

    @Override
    public List<String> layerTypes() {
        return List.of("layer_norm");
    }

    @Override
    public List<String> operators() {
        return List.of("LayerNormalization", "Transpose");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Exported export(Request r) {
        Shape in = r.inputShapes().getFirst();
        int rank = in.rank();
        List<Integer> axes = new ArrayList<>();
        for (Object o : (List<Object>) r.attributes().getOrDefault("axes", List.of(-1))) {
            int a = ((Number) o).intValue();
            axes.add(a < 0 ? a + rank : a);
        }
        int first = axes.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int last = axes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Shape normalized = Shape.of(Arrays.copyOfRange(in.dims(), first, last + 1));
        Map<String, Tensor> constants = new LinkedHashMap<>();
        boolean affine = r.parameters().containsKey("weight");
        constants.put(r.name() + ".weight", affine ? r.parameters().get("weight") : filled(normalized, 1f));
        constants.put(r.name() + ".bias", affine ? r.parameters().get("bias") : filled(normalized, 0f));
        float eps = ((Number) r.attributes().getOrDefault("eps", 1e-5f)).floatValue();
        if (last == rank - 1) {
            return new Exported(List.of(norm(r, r.inputs().getFirst(), r.output(), first + 1L, eps)), constants);
        }
        // [N, outer..., D..., inner...] -> [N, outer..., inner..., D...], normalize the trailing D axes, and back.
        List<Long> perm = new ArrayList<>(List.of(0L));
        for (int i = 0; i < rank; i++) if (i < first || i > last) perm.add(i + 1L);
        for (int i = first; i <= last; i++) perm.add(i + 1L);
        List<Long> back = new ArrayList<>(perm);
        for (int i = 0; i < perm.size(); i++) back.set(perm.get(i).intValue(), (long) i);
        String moved = r.prefix() + "moved";
        String done = r.prefix() + "normalized";
        return new Exported(List.of(
                new Node("Transpose", r.inputs(), List.of(moved), Map.of("perm", perm)),
                norm(r, moved, done, rank - (last - first + 1) + 1L, eps),
                new Node("Transpose", List.of(done), List.of(r.output()), Map.of("perm", back))), constants);
    }

    private static Node norm(Request r, String in, String out, long axis, float eps) {
        return new Node("LayerNormalization", List.of(in, r.name() + ".weight", r.name() + ".bias"), List.of(out),
                Map.of("axis", axis, "epsilon", eps));
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        if (node.opType().equals("Transpose")) {
            // A Transpose of a computed value is either the opening of a norm over other axes or the time-major
            // input of a recurrent operator (RecurrentImport follows it as a view).
            OnnxNode next = g.soleConsumer(node.output());
            if (next != null && next.opType().equals("LayerNormalization")) importSandwich(g, node);
            else RecurrentImport.transposeInput(g, node);
            return;
        }
        String x = g.computedInput(node, 0);
        Shape in = g.shape(x);
        int first = firstAxis(g, node, in.rank() + 1);
        List<Integer> axes = new ArrayList<>();
        for (int i = first; i < in.rank(); i++) axes.add(i);
        addNorm(g, node, node, x, in, Arrays.copyOfRange(in.dims(), first, in.rank()), axes, node.output());
    }

    /** Transpose(perm) → LayerNormalization → Transpose(perm⁻¹): a layer_norm over the original axes the middle one normalizes. */
    private static void importSandwich(ImportGraph g, OnnxNode open) {
        String x = g.computedInput(open, 0);
        Shape in = g.shape(x);
        int rank = in.rank() + 1;
        List<Long> perm = open.intsAttr("perm");
        OnnxNode norm = g.soleConsumer(open.output());
        OnnxNode close = norm == null || !norm.opType().equals("LayerNormalization") || !norm.input(0).equals(open.output())
                ? null : g.soleConsumer(norm.output());
        String pattern = "; Propel imports a Transpose of computed values only around a LayerNormalization (Transpose, LayerNormalization,"
                + " the inverse Transpose: a norm over other axes, as PyTorch writes LayerNorm on permuted NCHW data)";
        if (perm == null || perm.size() != rank || close == null || !close.opType().equals("Transpose") || perm.getFirst() != 0) {
            throw g.refuse(open, "transposes a value of per-sample shape " + in + " with perm " + perm + pattern);
        }
        int[] p = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            long v = perm.get(i);
            if (v < 0 || v >= rank || seen[(int) v]) throw g.refuse(open, "has perm " + perm + ", which is not a permutation of 0.." + (rank - 1));
            seen[(int) v] = true;
            p[i] = (int) v;
        }
        List<Long> inverse = close.intsAttr("perm");
        boolean restores = inverse != null && inverse.size() == rank;
        for (int i = 0; restores && i < rank; i++) restores = inverse.get(p[i]) == i;
        int first = firstAxis(g, norm, rank);
        boolean consecutive = true;
        for (int i = first + 2; i < rank; i++) consecutive &= p[i] == p[i - 1] + 1;
        if (!restores || !consecutive) {
            throw g.refuse(open, "with " + norm.describe() + " and " + close.describe() + " normalizes transposed axes that "
                    + (restores ? "are not consecutive in the original order" : "the closing perm " + inverse + " does not put back") + pattern);
        }
        List<Integer> axes = new ArrayList<>();
        int[] dims = new int[rank - first - 1];
        for (int i = first + 1; i < rank; i++) {
            axes.add(p[i] - 1);
            dims[i - first - 1] = in.dim(p[i] - 1);
        }
        g.consume(norm);
        g.consume(close);
        // Propel's export names the layer on its first node (the Transpose); PyTorch's names say "layer_norm" on the middle one.
        addNorm(g, norm, g.fromPropel() ? open : norm, x, in, dims, axes, close.output());
    }

    /** The first normalized per-sample axis of {@code node} on a rank-{@code rank} input (batch included): its axis − 1. */
    private static int firstAxis(ImportGraph g, OnnxNode node, int rank) {
        long axis = node.intAttr("axis", -1);
        long resolved = axis < 0 ? axis + rank : axis;
        if (resolved < 1 || resolved >= rank) {
            throw g.refuse(node, "normalizes from axis " + axis + " of a rank-" + rank + " input; Propel normalizes per sample (axes 1 to "
                    + (rank - 1) + ")");
        }
        for (int i = 1; i < node.outputs().size(); i++) {
            if (!node.outputs().get(i).isEmpty() && g.isRead(node.outputs().get(i))) {
                throw g.refuse(node, "has its Mean or InvStdDev output read by another node; Propel imports the normalized value only");
            }
        }
        return (int) resolved - 1;
    }

    private static void addNorm(ImportGraph g, OnnxNode node, OnnxNode named, String x, Shape in, int[] normalized, List<Integer> axes, String output) {
        Shape paramShape = Shape.of(normalized);
        Tensor scale = g.floatConstant(node.input(1));
        if (scale == null || scale.size() != paramShape.size()) {
            throw g.refuse(node, "needs a constant scale of shape " + paramShape + ", got '" + node.input(1) + "'"
                    + (scale == null ? ", which is not a constant" : " of shape " + scale.shape()));
        }
        Tensor bias;
        if (node.input(2).isEmpty()) {
            bias = Tensor.zeros(paramShape);
        } else {
            bias = g.floatConstant(node.input(2));
            if (bias == null || bias.size() != paramShape.size()) {
                throw g.refuse(node, "needs a constant bias of shape " + paramShape + ", got '" + node.input(2) + "'"
                        + (bias == null ? ", which is not a constant" : " of shape " + bias.shape()));
            }
            bias = bias.reshape(normalized).copy();
        }
        float epsilon = node.floatAttr("epsilon", 1e-5f);
        if (!(epsilon > 0f) || Float.isInfinite(epsilon)) throw g.refuse(node, "has epsilon " + epsilon + "; expected a positive number");
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("axes", axes);
        attributes.put("eps", epsilon);
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        parameters.put("weight", scale.reshape(normalized).copy());
        parameters.put("bias", bias);
        g.addLayer(named, "layer_norm", attributes, List.of(x), parameters, output, in);
    }

    private static Tensor filled(Shape shape, float value) {
        Tensor t = Tensor.zeros(shape);
        Arrays.fill(t.data(), value);
        return t;
    }
}
