package dev.propel.kernel;

/** Reductions along an axis, for {@link Kernels#reduce}. */
public enum ReduceOp {
    /** {@code Σ x} */
    SUM,
    /** {@code Σ x²} */
    SUM_SQUARES,
    /** {@code max x} (NaN if any is NaN) */
    MAX,
    /** {@code min x} (NaN if any is NaN) */
    MIN;

    /** The value an empty reduction gives, and the start of every one. */
    public float identity() {
        return switch (this) {
            case SUM, SUM_SQUARES -> 0f;
            case MAX -> Float.NEGATIVE_INFINITY;
            case MIN -> Float.POSITIVE_INFINITY;
        };
    }

    /** Folds one more value into {@code acc}. */
    public float fold(float acc, float x) {
        return switch (this) {
            case SUM -> acc + x;
            case SUM_SQUARES -> Math.fma(x, x, acc);
            case MAX -> Math.max(acc, x);
            case MIN -> Math.min(acc, x);
        };
    }
}
