package dev.propel.format.onnx;

import dev.propel.tensor.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code reshape} (attribute {@code shape}, per sample, one entry may be −1) ↔ {@code Reshape} with the
 * constant shape {@code [0, shape...]} (0 keeps the batch). Import accepts a constant shape whose first
 * entry keeps the batch: 0, −1 (with no other −1), or the graph input's fixed batch size; a 0 elsewhere
 * copies the input's size on that axis.
 */
final class ReshapeMapping implements LayerMapping {

    @Override
    public List<String> layerTypes() {
        return List.of("reshape");
    }

    @Override
    public List<String> operators() {
        return List.of("Reshape");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Exported export(Request r) {
        List<Long> shape = new ArrayList<>(List.of(0L));
        for (Object d : (List<Object>) r.attributes().get("shape")) shape.add(((Number) d).longValue());
        String shapeName = r.prefix() + "shape";
        return new Exported(List.of(Node.of("Reshape", List.of(r.inputs().getFirst(), shapeName), r.output())),
                Map.of(), Map.of(shapeName, shape));
    }

    @Override
    public void importNode(ImportGraph g, OnnxNode node) {
        String x = g.computedInput(node, 0);
        Shape in = g.shape(x);
        long[] target = g.intConstant(node.input(1));
        if (target == null) {
            throw g.refuse(node, "reads its shape from '" + node.input(1) + "', which is not a constant; Propel imports reshapes"
                    + " to a fixed shape (export with constant folding)");
        }
        if (target.length == 0) throw g.refuse(node, "reshapes to a scalar; Propel keeps the batch axis");
        long first = target[0];
        int minusOnes = 0;
        for (long t : target) if (t == -1) minusOnes++;
        boolean keepsBatch = first == 0 || first == -1 && minusOnes == 1 || first > 0 && first == g.staticBatch();
        if (!keepsBatch) {
            throw g.refuse(node, "reshapes to " + java.util.Arrays.toString(target) + ", whose first entry does not keep the batch"
                    + " (0, -1" + (g.staticBatch() > 0 ? " or the fixed batch size " + g.staticBatch() : "") + "); Propel reshapes each sample");
        }
        List<Integer> perSample = new ArrayList<>();
        long known = 1;
        boolean rest = false;
        for (int i = 1; i < target.length; i++) {
            long t = target[i];
            if (t == 0) {
                if (node.intAttr("allowzero", 0) != 0) throw g.refuse(node, "has allowzero = 1 and a 0 in its shape; Propel has no empty tensors");
                if (i - 1 >= in.rank()) throw g.refuse(node, "copies axis " + i + " (a 0 in its shape) that its input " + in + " lacks");
                t = in.dim(i - 1);
            }
            if (t == -1) {
                rest = true;
            } else if (t < 1 || t > Integer.MAX_VALUE) {
                throw g.refuse(node, "has the size " + t + " in its shape " + java.util.Arrays.toString(target));
            } else {
                known *= t;
            }
            perSample.add((int) t);
        }
        if (rest ? in.size() % known != 0 : known != in.size()) {
            throw g.refuse(node, "reshapes samples of " + in.size() + " values (" + in + ") to " + perSample + ", which does not fit");
        }
        int[] out = perSample.stream().mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < out.length; i++) if (out[i] == -1) out[i] = (int) (in.size() / known);
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("shape", perSample);
        g.addLayer(node, "reshape", attributes, List.of(x), Map.of(), node.output(), Shape.of(out));
    }
}
