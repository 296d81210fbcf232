package dev.propel.kernel;

import java.util.function.IntConsumer;

/**
 * An element-wise activation of the vector kernels (ReLU, GELU and their gradients) or an addition, split
 * over the kernel threads without allocating: one reusable object per calling thread holds the operation and
 * its arrays and deals the vector-aligned ranges {@code [q·share, (q+1)·share) ∩ [0, n)} to the parts q. Every
 * element is computed by the same vector formula whatever range it falls in, so the split changes no bit.
 */
final class ElementwiseSplit implements IntConsumer {

    /** The operations that split; each reads {@code a} (and {@code b}) and writes {@code out}. */
    enum Kind { RELU, RELU_BACKWARD, GELU, GELU_BACKWARD, ADD }

    private static final ThreadLocal<ElementwiseSplit> OF_THREAD = ThreadLocal.withInitial(ElementwiseSplit::new);

    private Kind kind;
    private float[] a;
    private float[] b;
    private float[] out;
    private boolean tanhApproximation;
    private int n;
    private int share;

    private ElementwiseSplit() {
    }

    /**
     * Runs {@code kind} over {@code [0, n)} in {@code parts} ranges of {@code share} elements (a multiple of the
     * vector length; the last range shorter) on the pool: {@code out = f(a)} or {@code out = f(a, b)}.
     */
    static void run(KernelThreadPool pool, int parts, int share, Kind kind, float[] a, float[] b, float[] out, int n,
                    boolean tanhApproximation) {
        ElementwiseSplit mine = OF_THREAD.get();
        ElementwiseSplit split = mine.kind == null ? mine : new ElementwiseSplit();
        split.kind = kind;
        split.a = a;
        split.b = b;
        split.out = out;
        split.n = n;
        split.share = share;
        split.tanhApproximation = tanhApproximation;
        try {
            pool.forEachPart(parts, split);
        } finally {
            split.kind = null;
            split.a = split.b = split.out = null;
        }
    }

    @Override
    public void accept(int part) {
        int from = Math.min(n, part * share);
        int to = Math.min(n, (part + 1) * share);
        switch (kind) {
            case RELU -> VectorActivations.relu(a, out, from, to);
            case RELU_BACKWARD -> VectorActivations.reluBackward(a, b, out, from, to);
            case GELU -> VectorActivations.gelu(a, out, from, to, tanhApproximation);
            case GELU_BACKWARD -> VectorActivations.geluBackward(a, b, out, from, to, tanhApproximation);
            case ADD -> VectorKernels.add(a, b, out, from, to);
        }
    }
}
