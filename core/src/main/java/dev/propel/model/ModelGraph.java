package dev.propel.model;

import dev.propel.spi.Layer;

import java.util.List;

/**
 * A built model's layers as a DAG, in execution order: node {@code i} runs {@code layers.get(i)} on the
 * outputs of the nodes {@code sources[i]} ({@link #MODEL_INPUT} for the model input), and the last
 * node is the model output.
 *
 * <p>For the backward pass it also knows, per node, whether anything upstream of it (itself included)
 * has parameters — only those nodes need a gradient — and how many input gradients flow into it, so a
 * node read by several others (fan-out) sums them.
 */
public final class ModelGraph {
    /** The source index that stands for the model input. */
    public static final int MODEL_INPUT = -1;

    private final List<Layer> layers;
    private final int[][] sources;
    private final boolean[] needsGradient;
    private final int[] gradientContributions;

    ModelGraph(List<Layer> layers, int[][] sources) {
        this.layers = List.copyOf(layers);
        this.sources = sources;
        int n = layers.size();
        this.needsGradient = new boolean[n];
        for (int i = 0; i < n; i++) {
            boolean needs = !layers.get(i).parameters().isEmpty();
            for (int s : sources[i]) needs |= s != MODEL_INPUT && needsGradient[s];
            needsGradient[i] = needs;
        }
        this.gradientContributions = new int[n];
        for (int i = 0; i < n; i++) {
            if (!needsGradient[i]) continue;
            for (int s : sources[i]) if (s != MODEL_INPUT && needsGradient[s]) gradientContributions[s]++;
        }
    }

    /** The layers in execution order; the last one is the output. */
    public List<Layer> layers() {
        return layers;
    }

    /** The number of layers (nodes) in the graph. */
    public int size() {
        return layers.size();
    }

    /** The nodes node {@code node} reads, in input order ({@link #MODEL_INPUT} for the model input). */
    public int[] sources(int node) {
        return sources[node].clone();
    }

    int source(int node, int input) {
        return sources[node][input];
    }

    int inputCount(int node) {
        return sources[node].length;
    }

    /** True when the node or something upstream of it has parameters, so backward must reach it. */
    public boolean needsGradient(int node) {
        return needsGradient[node];
    }

    /** Whether node {@code node} must compute the gradient of its input {@code input}. */
    boolean needsInputGradient(int node, int input) {
        int s = sources[node][input];
        return s != MODEL_INPUT && needsGradient[s];
    }

    /** How many input gradients flow into the node's output in a backward pass (more than one: they are summed). */
    int gradientContributions(int node) {
        return gradientContributions[node];
    }

    /** The names node {@code node} reads. */
    public List<String> inputNames(int node) {
        String[] names = new String[sources[node].length];
        for (int k = 0; k < names.length; k++) {
            int s = sources[node][k];
            names[k] = s == MODEL_INPUT ? LayerInfo.MODEL_INPUT : layers.get(s).name();
        }
        return List.of(names);
    }

    /** True for a plain stack: every node reads exactly the node before it. */
    public boolean isSequential() {
        for (int i = 0; i < sources.length; i++) {
            if (sources[i].length != 1 || sources[i][0] != i - 1) return false;
        }
        return true;
    }
}
