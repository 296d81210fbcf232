package com.example.propel;

/**
 * Per-thread scratch arrays of a loss, grown on demand and then reused: a {@code Loss} has no context
 * of its own and may be used by several threads at once (evaluation beside training), and a training
 * step in steady state should allocate nothing.
 */
final class ScratchArrays {
    private final ThreadLocal<float[][]> arrays;

    ScratchArrays(int count) {
        this.arrays = ThreadLocal.withInitial(() -> new float[count][0]);
    }

    /** This thread's arrays, each at least {@code n} long; their contents are undefined. */
    float[][] get(int n) {
        float[][] s = arrays.get();
        if (s[0].length < n) {
            for (int i = 0; i < s.length; i++) s[i] = new float[n];
        }
        return s;
    }
}
