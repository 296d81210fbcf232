package dev.propel.kernel;

/** Element-wise functions of one value, for {@link Kernels#unary}. */
public enum UnaryOp {
    /** {@code −x} */
    NEG,
    /** {@code |x|} */
    ABS,
    /** {@code sign(x)}: −1, 0 or 1 (0 for ±0, NaN for NaN), as {@code torch.sign} */
    SIGN,
    /** {@code x²} */
    SQUARE,
    /** {@code √x} */
    SQRT,
    /** {@code 1/√x} (computed as {@code 1 / sqrt(x)}, exactly rounded twice) */
    RSQRT,
    /** {@code 1/x} */
    RECIPROCAL,
    /** {@code eˣ} */
    EXP,
    /** {@code ln x} */
    LOG,
    /** {@code tanh x} */
    TANH,
    /** {@code 1/(1 + e⁻ˣ)} */
    SIGMOID,
    /** {@code max(x, 0)} */
    RELU;

    /** The scalar definition, used by the scalar kernels and as the reference the vector ones are tested against. */
    public float apply(float x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case SQUARE -> x * x;
            case SQRT -> (float) Math.sqrt(x);
            case RSQRT -> 1f / (float) Math.sqrt(x);
            case RECIPROCAL -> 1f / x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case RELU -> Math.max(x, 0f);
        };
    }

    /** True when the vector form performs the same IEEE operations as {@link #apply}, so both give the same bits. */
    public boolean exact() {
        return switch (this) {
            case NEG, ABS, SIGN, SQUARE, SQRT, RSQRT, RECIPROCAL, RELU -> true;
            case EXP, LOG, TANH, SIGMOID -> false;
        };
    }
}
