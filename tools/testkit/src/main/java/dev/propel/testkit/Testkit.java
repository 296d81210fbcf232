package dev.propel.testkit;

import dev.propel.Propel;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;
import dev.propel.testkit.support.TestkitSupportPlugin;

/** Shared defaults of the contracts. */
public final class Testkit {
    /** Batch sizes every layer case is run with unless it sets its own: a single sample and an odd batch. */
    static final int[] DEFAULT_BATCHES = {1, 3};
    /** Inputs whose per-sample size is a multiple of this leave the vector kernels' tail loops unexercised. */
    static final int VECTOR_BLOCK = 8;
    /** Threads used by the concurrency contracts. */
    static final int THREADS = 4;

    private static volatile Propel shared;

    private Testkit() {
    }

    /**
     * The registry the contracts use unless a test overrides {@code propel()}: every plugin on the test
     * class path (found through {@code META-INF/services}), the testkit's {@link TestkitSupportPlugin}
     * (the layer and loss the save → load round trips put around the type under test), and the
     * fastest kernels with two threads. It lives as long as the JVM; its kernel threads are daemons.
     */
    public static Propel propel() {
        Propel p = shared;
        if (p == null) {
            synchronized (Testkit.class) {
                p = shared;
                if (p == null) {
                    p = Propel.builder().threads(2).warnings(w -> { }).plugin(new TestkitSupportPlugin()).build();
                    shared = p;
                }
            }
        }
        return p;
    }

    /** The fastest kernels this JVM supports with {@code threads} threads, without the fallback warning. */
    static Kernels kernels(int threads) {
        return KernelsProvider.create(threads, w -> { });
    }

    /** True when neither the size nor the last axis of {@code dims} is a multiple of {@link #VECTOR_BLOCK}. */
    static boolean hasTail(int[] dims) {
        long size = 1;
        for (int d : dims) size *= d;
        int last = dims.length == 0 ? 1 : dims[dims.length - 1];
        return size % VECTOR_BLOCK != 0 && last % VECTOR_BLOCK != 0;
    }

    static String shapeOf(int[] dims) {
        return java.util.Arrays.toString(dims);
    }
}
