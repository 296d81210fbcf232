package dev.propel.kernel;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.function.Consumer;

/**
 * Chooses the kernel implementation. The Vector API kernels are used when the
 * {@code jdk.incubator.vector} module is in the boot layer; otherwise the scalar kernels are used
 * and one warning line tells how to enable the fast path. An application that embeds the core
 * therefore never crashes for lack of a JVM flag.
 */
public final class KernelsProvider {

    /** The JDK module the vector kernels need ({@code --add-modules jdk.incubator.vector}). */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** The warning printed once when that module is missing and the scalar kernels are used instead. */
    public static final String ENABLE_HINT = "Propel: the Vector API module is not enabled, so the slower "
            + "scalar kernels are used; add the JVM option '--add-modules " + VECTOR_MODULE
            + "' to enable the fast SIMD kernels.";

    private KernelsProvider() {
    }

    /** True when the JVM was started with the Vector API module. */
    public static boolean vectorApiAvailable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** The fastest kernels this JVM supports, using up to {@code threads} threads (>= 1). */
    public static Kernels create(int threads) {
        return create(threads, System.err::println);
    }

    /** As {@link #create(int)}, sending the fallback warning to {@code warn}. */
    public static Kernels create(int threads, Consumer<String> warn) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (!vectorApiAvailable()) {
            warn.accept(ENABLE_HINT);
            return new ScalarKernels();
        }
        return newVectorKernels(threads);
    }

    /**
     * Makes {@code owner} the only one who can stop {@code kernels}' threads: returns the closer, after
     * which {@code kernels.close()} is refused. Kernels without threads return a closer that does nothing.
     */
    public static Runnable claim(Kernels kernels) {
        return kernels instanceof PooledKernels pooled ? pooled.claim() : () -> { };
    }

    /** Scalar reference kernels, regardless of what the JVM supports. */
    public static Kernels scalar() {
        return new ScalarKernels();
    }

    // Loaded reflectively: linking VectorKernels needs jdk.incubator.vector, which may be absent.
    private static Kernels newVectorKernels(int threads) {
        try {
            Class<?> type = Class.forName("dev.propel.kernel.VectorKernels");
            Constructor<?> ctor = type.getConstructor(int.class);
            return (Kernels) ctor.newInstance(threads);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("could not start the Vector API kernels: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("could not load the Vector API kernels: " + e, e);
        }
    }
}
