package dev.propel.kernel;

/**
 * The large element-wise kernels a training step runs between its products — {@code relu}, its gradient and
 * {@code add} (a residual sum, a gradient that reaches a layer twice) — split over the kernel threads with
 * {@link Kernels#parallelRanges}. One task object per calling thread is filled in for each call, so a split
 * allocates nothing; a call made while the thread's object is in use (from inside one of its own ranges) runs
 * whole. Each element is computed on its own, so the split changes no bit.
 */
final class ElementwiseSplit implements RangeTask {
    /**
     * Elements below which the kernel stays on the calling thread: one pass over 64 Ki floats takes some tens of
     * microseconds, about what handing half of it to a parked worker costs (as for the optimizer updates).
     */
    static final int PARALLEL_MIN = 1 << 16;

    private enum Op { ADD, RELU, RELU_BACKWARD }

    private static final ThreadLocal<ElementwiseSplit> OF_THREAD = ThreadLocal.withInitial(ElementwiseSplit::new);

    private Op op;
    private float[] a;
    private float[] b;
    private float[] out;

    private ElementwiseSplit() {
    }

    /** {@code out = a + b} over {@code [0, n)}. */
    static void add(Kernels k, float[] a, float[] b, float[] out, int n) {
        run(k, Op.ADD, a, b, out, n);
    }

    /** {@code y = max(x, 0)} over {@code [0, n)}. */
    static void relu(Kernels k, float[] x, float[] y, int n) {
        run(k, Op.RELU, x, null, y, n);
    }

    /** {@code dx = x > 0 ? dy : 0} over {@code [0, n)}. */
    static void reluBackward(Kernels k, float[] x, float[] dy, float[] dx, int n) {
        run(k, Op.RELU_BACKWARD, x, dy, dx, n);
    }

    private static void run(Kernels k, Op op, float[] a, float[] b, float[] out, int n) {
        ElementwiseSplit split = OF_THREAD.get();
        if (split.op != null) {
            apply(op, a, b, out, 0, n);
            return;
        }
        split.op = op;
        split.a = a;
        split.b = b;
        split.out = out;
        try {
            k.parallelRanges(n, PARALLEL_MIN, split);
        } finally {
            split.op = null;
            split.a = split.b = split.out = null;
        }
    }

    @Override
    public void run(int from, int to) {
        apply(op, a, b, out, from, to);
    }

    private static void apply(Op op, float[] a, float[] b, float[] out, int from, int to) {
        switch (op) {
            case ADD -> VectorPrimitives.add(a, b, out, from, to);
            case RELU -> VectorActivations.relu(a, out, from, to);
            case RELU_BACKWARD -> VectorActivations.reluBackward(a, b, out, from, to);
        }
    }
}
