package dev.propel.kernel;

/** Work on the elements {@code [from, to)} of a range, for {@link Kernels#parallelRanges}. */
@FunctionalInterface
public interface RangeTask {
    void run(int from, int to);
}
