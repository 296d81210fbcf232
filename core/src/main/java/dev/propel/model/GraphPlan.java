package dev.propel.model;

import dev.propel.spi.PropelException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wiring of a {@link ModelSpec} resolved before any layer is made: every layer's name and the
 * names it reads, an execution order in which each layer comes after everything it reads, and the
 * output. Refuses unknown inputs, cycles, layers whose output nobody uses, and duplicate or reserved
 * names, each with a message naming the layers involved.
 *
 * @param names   layer names, in spec order
 * @param inputs  for each layer in spec order, the names it reads ({@value LayerInfo#MODEL_INPUT}: the model input)
 * @param order   spec indices in execution order (the spec order itself when that already works)
 * @param output  the name of the output layer
 */
record GraphPlan(List<String> names, List<List<String>> inputs, List<Integer> order, String output) {

    static GraphPlan of(ModelSpec spec) {
        List<LayerSpec> layers = spec.layers();
        List<String> names = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec ls = layers.get(i);
            String name = ls.name() != null ? ls.name() : ls.type() + "_" + i;
            if (name.equals(LayerInfo.MODEL_INPUT)) {
                throw new PropelException("layer " + i + " (" + ls.type() + ") is named '" + LayerInfo.MODEL_INPUT
                        + "', the name layers use to read the model input; choose another name");
            }
            if (index.putIfAbsent(name, i) != null) {
                throw new PropelException("layer name '" + name + "' is used twice (layers " + index.get(name) + " and " + i
                        + "); give each layer a unique name");
            }
            names.add(name);
        }
        List<List<String>> inputs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            List<String> in = layers.get(i).inputs();
            if (in == null) in = List.of(i == 0 ? LayerInfo.MODEL_INPUT : names.get(i - 1));
            if (in.isEmpty()) {
                throw new PropelException("layer '" + names.get(i) + "' (" + layers.get(i).type() + ") has an empty \"inputs\" list;"
                        + " name at least one layer, or \"" + LayerInfo.MODEL_INPUT + "\" for the model input, or leave \"inputs\" out"
                        + " to read the layer before it");
            }
            for (String source : in) {
                if (!source.equals(LayerInfo.MODEL_INPUT) && !index.containsKey(source)) {
                    throw new PropelException("layer '" + names.get(i) + "' (" + layers.get(i).type() + ") reads '" + source
                            + "', which is no layer of the model; its layers are " + names + " and '" + LayerInfo.MODEL_INPUT
                            + "' is the model input");
                }
            }
            inputs.add(List.copyOf(in));
        }
        String output = output(spec, names, index);
        List<Integer> order = executionOrder(names, inputs, index);
        requireAllUsed(names, inputs, index, output, layers);
        return new GraphPlan(List.copyOf(names), List.copyOf(inputs), order, output);
    }

    private static String output(ModelSpec spec, List<String> names, Map<String, Integer> index) {
        if (spec.outputs().isEmpty()) return names.getLast();
        if (spec.outputs().size() > 1) {
            throw new PropelException("the spec names " + spec.outputs().size() + " outputs " + spec.outputs()
                    + " but a Propel model has one output (the loss compares it with the targets); name one layer,"
                    + " or concat several first");
        }
        String out = spec.outputs().getFirst();
        if (!index.containsKey(out)) {
            throw new PropelException("the spec's output '" + out + "' is no layer of the model; its layers are " + names);
        }
        return out;
    }

    /** Kahn's algorithm, always taking the earliest ready layer in spec order, so a spec in order runs in order. */
    private static List<Integer> executionOrder(List<String> names, List<List<String>> inputs, Map<String, Integer> index) {
        int n = names.size();
        int[] pending = new int[n];
        List<List<Integer>> readers = new ArrayList<>();
        for (int i = 0; i < n; i++) readers.add(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            for (String source : new LinkedHashSet<>(inputs.get(i))) {
                if (source.equals(LayerInfo.MODEL_INPUT)) continue;
                pending[i]++;
                readers.get(index.get(source)).add(i);
            }
        }
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int i = 0; i < n; i++) if (pending[i] == 0) ready.add(i);
        List<Integer> order = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(i);
            for (int r : readers.get(i)) if (--pending[r] == 0) ready.add(r);
        }
        if (order.size() < n) {
            List<String> inCycle = new ArrayList<>();
            for (int i = 0; i < n; i++) if (pending[i] > 0) inCycle.add(names.get(i) + " <- " + inputs.get(i));
            throw new PropelException("the model graph has a cycle: these layers wait on each other " + inCycle
                    + "; a layer may read only layers that do not (directly or through others) read it");
        }
        return List.copyOf(order);
    }

    private static void requireAllUsed(List<String> names, List<List<String>> inputs, Map<String, Integer> index,
                                       String output, List<LayerSpec> layers) {
        Set<String> reached = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(List.of(output));
        while (!todo.isEmpty()) {
            String name = todo.removeLast();
            if (name.equals(LayerInfo.MODEL_INPUT) || !reached.add(name)) continue;
            todo.addAll(inputs.get(index.get(name)));
        }
        for (int i = 0; i < names.size(); i++) {
            if (!reached.contains(names.get(i))) {
                throw new PropelException("layer '" + names.get(i) + "' (" + layers.get(i).type() + ") is dangling: its output"
                        + " never reaches the model output '" + output + "'; read it from another layer, make it the output"
                        + " (\"outputs\"), or remove it");
            }
        }
        boolean readsInput = false;
        for (String r : reached) readsInput |= inputs.get(index.get(r)).contains(LayerInfo.MODEL_INPUT);
        if (!readsInput) {
            throw new PropelException("no layer on the way to the output '" + output + "' reads the model input '"
                    + LayerInfo.MODEL_INPUT + "'; the output would not depend on the input");
        }
    }
}
