package dev.propel.kernel;

/** Element-wise functions of two values, for {@link Kernels#binary} and {@link Kernels#broadcast}. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN,
    /** {@code a^b} (as {@code Math.pow} in float) */
    POW;

    /** The scalar definition; every op but {@link #POW} is one IEEE operation, so vector forms give the same bits. */
    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case POW -> (float) Math.pow(a, b);
        };
    }
}
