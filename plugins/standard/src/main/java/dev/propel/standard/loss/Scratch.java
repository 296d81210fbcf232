package dev.propel.standard.loss;

/**
 * Per-thread scratch arrays for a loss, grown on demand and then reused, so that computing a loss in a
 * training step allocates nothing in steady state. (A {@code Loss} has no context of its own and may
 * be used by several threads at once, e.g. by evaluation running beside training.)
 */
final class Scratch {
    private final ThreadLocal<float[][]> arrays;

    Scratch(int slots) {
        this.arrays = ThreadLocal.withInitial(() -> new float[slots][]);
    }

    /** Array number {@code slot} of this thread, at least {@code n} long; contents are undefined. */
    float[] get(int slot, int n) {
        float[][] a = arrays.get();
        if (a[slot] == null || a[slot].length < n) a[slot] = new float[n];
        return a[slot];
    }
}
