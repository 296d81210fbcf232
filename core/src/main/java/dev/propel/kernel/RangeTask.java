package dev.propel.kernel;

/** Work on the elements (or items) {@code [from, to)} of a range, for {@link Kernels#parallelRanges} and {@link Kernels#parallelItems}. */
@FunctionalInterface
public interface RangeTask {
    /**
     * Processes the part {@code [from, to)} of the range; parts never overlap, so each writes only its own elements.
     */
    void run(int from, int to);
}
