package dev.propel.testkit;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The per-sample shapes of one configuration of a layer's inputs, in input order: one shape for a
 * single-input layer, several for a multi-input layer such as {@code add} or {@code concat}.
 */
record InputShapes(List<int[]> dims) {
    InputShapes {
        if (dims.isEmpty()) throw new IllegalArgumentException("give at least one input shape");
        List<int[]> copies = new ArrayList<>();
        for (int[] d : dims) copies.add(d.clone());
        dims = List.copyOf(copies);
    }

    static InputShapes single(int... dims) {
        return new InputShapes(List.<int[]>of(dims));
    }

    int count() {
        return dims.size();
    }

    int[] dims(int input) {
        return dims.get(input).clone();
    }

    List<Shape> shapes() {
        return dims.stream().map(Shape::of).toList();
    }

    /** True when some input has a size and a last axis that are not multiples of the vector block. */
    boolean hasTail() {
        return dims.stream().anyMatch(Testkit::hasTail);
    }

    /** The full shapes {@code [batch, dims...]} of every input. */
    List<int[]> withBatch(int batch) {
        return dims.stream().map(d -> withBatch(batch, d)).toList();
    }

    static int[] withBatch(int batch, int[] dims) {
        int[] d = new int[dims.length + 1];
        d[0] = batch;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return d;
    }

    /** One input tensor per input, drawn from {@code source} with a generator seeded from {@code seed}. */
    List<Tensor> draw(TensorSource source, long seed, int batch) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Tensor> inputs = new ArrayList<>();
        for (int[] d : withBatch(batch)) inputs.add(source.draw(rng, d));
        return inputs;
    }

    /** "[17]" for one input, "([17], [17])" for several. */
    static String describe(List<int[]> dims) {
        if (dims.size() == 1) return Arrays.toString(dims.getFirst());
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(Arrays.toString(dims.get(i)));
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return describe(dims);
    }
}
