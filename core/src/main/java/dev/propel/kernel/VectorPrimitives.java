package dev.propel.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API forms of the primitive kernels. Each one performs, lane by lane, the same IEEE operations
 * in the same order as {@link ScalarPrimitives}, so the two give the same bits; functions without such
 * a form (exp, log, tanh, sigmoid as unary ops, pow) and reductions along the contiguous axis (whose
 * vector form would add in another order) run the scalar definition.
 */
final class VectorPrimitives {
    private static final VectorSpecies<Float> SPECIES = VectorKernels.SPECIES;
    private static final int LANES = SPECIES.length();

    private VectorPrimitives() {
    }

    static void unary(UnaryOp op, float[] x, int xOff, float[] y, int yOff, int n) {
        if (!op.exact() || ShortArrays.applies(n)) {
            ScalarPrimitives.unary(op, x, xOff, y, yOff, n);
            return;
        }
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            apply(op, FloatVector.fromArray(SPECIES, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            apply(op, FloatVector.fromArray(SPECIES, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    private static FloatVector apply(UnaryOp op, FloatVector v) {
        return switch (op) {
            case NEG -> v.neg();
            case ABS -> v.abs();
            case SIGN -> {
                // signum: +1 / −1 by comparison, ±0 and NaN pass through unchanged (as Math.signum).
                FloatVector one = FloatVector.broadcast(SPECIES, 1f);
                FloatVector s = v.blend(one, v.compare(VectorOperators.GT, 0f));
                yield s.blend(one.neg(), v.compare(VectorOperators.LT, 0f));
            }
            case SQUARE -> v.mul(v);
            case SQRT -> v.sqrt();
            case RSQRT -> FloatVector.broadcast(SPECIES, 1f).div(v.sqrt());
            case RECIPROCAL -> FloatVector.broadcast(SPECIES, 1f).div(v);
            case RELU -> v.max(0f);
            case EXP, LOG, TANH, SIGMOID -> throw new IllegalStateException(op + " has no exact vector form");
        };
    }

    private static FloatVector apply(BinaryOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case MAX -> a.max(b);
            case MIN -> a.min(b);
            case POW -> throw new IllegalStateException("pow has no exact vector form");
        };
    }

    /** {@code out = a + b} over the elements {@code [from, to)}. */
    static void add(float[] a, float[] b, float[] out, int from, int to) {
        int i = from;
        for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, a, i).add(FloatVector.fromArray(SPECIES, b, i)).intoArray(out, i);
        }
        if (i < to) {
            VectorMask<Float> m = SPECIES.indexInRange(i, to);
            FloatVector.fromArray(SPECIES, a, i, m).add(FloatVector.fromArray(SPECIES, b, i, m)).intoArray(out, i, m);
        }
    }

    static void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        if (op == BinaryOp.POW || ShortArrays.applies(n)) {
            ScalarPrimitives.binary(op, a, aOff, b, bOff, out, oOff, n);
            return;
        }
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            apply(op, FloatVector.fromArray(SPECIES, a, aOff + i), FloatVector.fromArray(SPECIES, b, bOff + i))
                    .intoArray(out, oOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            apply(op, FloatVector.fromArray(SPECIES, a, aOff + i, m), FloatVector.fromArray(SPECIES, b, bOff + i, m))
                    .intoArray(out, oOff + i, m);
        }
    }

    static void broadcast(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff,
                          int outer, int mid, int inner) {
        if (op == BinaryOp.POW) {
            ScalarPrimitives.broadcast(op, a, aOff, b, bOff, out, oOff, outer, mid, inner);
            return;
        }
        if (inner == 1) { // b is a row vector of length mid: each of the outer rows is a binary op with b
            for (int o = 0; o < outer; o++) binary(op, a, aOff + o * mid, b, bOff, out, oOff + o * mid, mid);
            return;
        }
        for (int o = 0; o < outer; o++) {
            for (int mm = 0; mm < mid; mm++) {
                FloatVector bv = FloatVector.broadcast(SPECIES, b[bOff + mm]);
                int base = (o * mid + mm) * inner;
                int i = 0;
                for (int bound = SPECIES.loopBound(inner); i < bound; i += LANES) {
                    apply(op, FloatVector.fromArray(SPECIES, a, aOff + base + i), bv).intoArray(out, oOff + base + i);
                }
                if (i < inner) {
                    VectorMask<Float> m = SPECIES.indexInRange(i, inner);
                    apply(op, FloatVector.fromArray(SPECIES, a, aOff + base + i, m), bv).intoArray(out, oOff + base + i, m);
                }
            }
        }
    }

    static void affine(float alpha, float[] x, int xOff, float beta, float[] y, int yOff, int n) {
        if (ShortArrays.appliesToSimpleLoop(n)) {
            ScalarPrimitives.affine(alpha, x, xOff, beta, y, yOff, n);
            return;
        }
        FloatVector av = FloatVector.broadcast(SPECIES, alpha);
        FloatVector bv = FloatVector.broadcast(SPECIES, beta);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            av.fma(FloatVector.fromArray(SPECIES, x, xOff + i), bv).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            av.fma(FloatVector.fromArray(SPECIES, x, xOff + i, m), bv).intoArray(y, yOff + i, m);
        }
    }

    /**
     * Vectorised across {@code inner} (each lane folds its own column in order m = 0, 1, …), whole vectors only; the
     * columns after the last whole vector fold the same way in plain Java (a masked load at every step of the fold
     * cost more than the fold: on 7x7 planes one column in seven is in the tail).
     */
    static void reduce(ReduceOp op, float[] x, int xOff, int outer, int mid, int inner, float[] out, int outOff,
                       boolean accumulate) {
        int full = SPECIES.loopBound(inner);
        if (full < inner) ScalarPrimitives.reduceColumns(op, x, xOff, outer, mid, inner, full, inner, out, outOff, accumulate);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < full; i += LANES) {
                FloatVector acc = FloatVector.broadcast(SPECIES, op.identity());
                for (int mm = 0; mm < mid; mm++) {
                    FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + (o * mid + mm) * inner + i);
                    acc = switch (op) {
                        case SUM -> acc.add(v);
                        case SUM_SQUARES -> v.fma(v, acc);
                        case MAX -> acc.max(v);
                        case MIN -> acc.min(v);
                    };
                }
                int at = outOff + o * inner + i;
                if (accumulate) {
                    FloatVector prev = FloatVector.fromArray(SPECIES, out, at);
                    acc = switch (op) {
                        case SUM, SUM_SQUARES -> prev.add(acc);
                        case MAX -> prev.max(acc);
                        case MIN -> prev.min(acc);
                    };
                }
                acc.intoArray(out, at);
            }
        }
    }
}
