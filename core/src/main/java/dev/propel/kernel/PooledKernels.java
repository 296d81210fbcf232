package dev.propel.kernel;

/**
 * Kernels that own threads. Whoever made them may {@link #close()} them, until an owner such as a
 * {@code Propel} registry {@linkplain KernelsProvider#claim claims} them: from then on only the owner's
 * closer stops the threads, and {@code close()} called by anyone else (a plugin's layer, say) is refused,
 * so no plugin can stop the kernels every other model of the registry runs on.
 */
public abstract class PooledKernels implements Kernels {
    private volatile boolean claimed;

    /** Stops the threads. */
    abstract void shutdown();

    @Override
    public final void close() {
        if (claimed) {
            throw new IllegalStateException("these kernels belong to the Propel instance that made them; close that instead"
                    + " (a plugin must never close the kernels it is given)");
        }
        shutdown();
    }

    final Runnable claim() {
        if (claimed) throw new IllegalStateException("these kernels are already owned by another Propel instance");
        claimed = true;
        return this::shutdown;
    }
}
