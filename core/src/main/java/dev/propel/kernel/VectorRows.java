package dev.propel.kernel;

import static dev.propel.kernel.VectorKernels.LANES;
import static dev.propel.kernel.VectorKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Row-wise kernels on row-major rows×cols matrices with the Vector API: bias add and its gradient,
 * row scaling, softmax and its backward pass, log-sum-exp, row dot products and argmax. Each row is
 * processed as whole vectors plus one masked tail vector; rows narrower than {@link NarrowRows#MAX_COLS}
 * take {@link NarrowRows}' scalar code, which gives the same bits without allocating in any JIT tier.
 */
final class VectorRows {

    private VectorRows() {
    }

    /** {@code x[r][c] += bias[c]}. */
    static void addRowVector(float[] x, int rows, int cols, float[] bias) {
        if (NarrowRows.applies(cols)) VectorKernels.SCALAR.addRowVector(x, rows, cols, bias);
        else vectorAddRowVector(x, rows, cols, bias);
    }

    /** The vector code of {@link #addRowVector}, at any row width. */
    static void vectorAddRowVector(float[] x, int rows, int cols, float[] bias) {
        int bound = SPECIES.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int c = 0;
            for (; c < bound; c += LANES) {
                FloatVector.fromArray(SPECIES, x, o + c).add(FloatVector.fromArray(SPECIES, bias, c)).intoArray(x, o + c);
            }
            if (c < cols) {
                VectorMask<Float> m = SPECIES.indexInRange(c, cols);
                FloatVector.fromArray(SPECIES, x, o + c, m).add(FloatVector.fromArray(SPECIES, bias, c, m))
                        .intoArray(x, o + c, m);
            }
        }
    }

    /** {@code x[r][c] = max(x[r][c] + bias[c], 0)} in place; {@code x = max(x, 0)} when bias is null. */
    static void addRowVectorRelu(float[] x, int rows, int cols, float[] bias) {
        if (bias != null && NarrowRows.applies(cols)) VectorKernels.SCALAR.addRowVectorRelu(x, rows, cols, bias);
        else vectorAddRowVectorRelu(x, rows, cols, bias);
    }

    /** The vector code of {@link #addRowVectorRelu}, at any row width. */
    static void vectorAddRowVectorRelu(float[] x, int rows, int cols, float[] bias) {
        if (bias == null) {
            VectorActivations.relu(x, x, rows * cols);
            return;
        }
        int bound = SPECIES.loopBound(cols);
        VectorMask<Float> tail = SPECIES.indexInRange(bound, cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int c = 0;
            for (; c < bound; c += LANES) {
                FloatVector.fromArray(SPECIES, x, o + c).add(FloatVector.fromArray(SPECIES, bias, c)).max(0f)
                        .intoArray(x, o + c);
            }
            if (c < cols) {
                FloatVector.fromArray(SPECIES, x, o + c, tail).add(FloatVector.fromArray(SPECIES, bias, c, tail))
                        .max(0f).intoArray(x, o + c, tail);
            }
        }
    }

    /**
     * {@code dz[r][c] = y[r][c] > 0 ? dy[r][c] : 0} and, when biasGradient is not null,
     * {@code biasGradient[c] += Σ_r dz[r][c]} with the rows added in order (as the scalar twin does).
     */
    static void reluBackwardSumRows(float[] y, float[] dy, float[] dz, int rows, int cols, float[] biasGradient) {
        if (biasGradient != null && NarrowRows.applies(cols)) {
            VectorKernels.SCALAR.reluBackwardSumRows(y, dy, dz, rows, cols, biasGradient);
        } else {
            vectorReluBackwardSumRows(y, dy, dz, rows, cols, biasGradient);
        }
    }

    /** The vector code of {@link #reluBackwardSumRows}, at any row width. */
    static void vectorReluBackwardSumRows(float[] y, float[] dy, float[] dz, int rows, int cols, float[] biasGradient) {
        if (biasGradient == null) {
            VectorActivations.reluBackward(y, dy, dz, rows * cols);
            return;
        }
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(cols);
        VectorMask<Float> tail = SPECIES.indexInRange(bound, cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int c = 0;
            for (; c < bound; c += LANES) {
                FloatVector g = zero.blend(FloatVector.fromArray(SPECIES, dy, o + c),
                        FloatVector.fromArray(SPECIES, y, o + c).compare(VectorOperators.GT, 0f));
                g.intoArray(dz, o + c);
                FloatVector.fromArray(SPECIES, biasGradient, c).add(g).intoArray(biasGradient, c);
            }
            if (c < cols) {
                FloatVector g = zero.blend(FloatVector.fromArray(SPECIES, dy, o + c, tail),
                        FloatVector.fromArray(SPECIES, y, o + c, tail).compare(VectorOperators.GT, 0f));
                g.intoArray(dz, o + c, tail);
                FloatVector.fromArray(SPECIES, biasGradient, c, tail).add(g).intoArray(biasGradient, c, tail);
            }
        }
    }

    /** {@code out[c] (+)= Σ_r x[r][c]}, adding the rows in order (as the scalar twin does). */
    static void sumRows(float[] x, int rows, int cols, float[] out, boolean accumulate) {
        if (NarrowRows.applies(cols)) VectorKernels.SCALAR.sumRows(x, rows, cols, out, accumulate);
        else vectorSumRows(x, rows, cols, out, accumulate);
    }

    /** The vector code of {@link #sumRows}, at any row width. */
    static void vectorSumRows(float[] x, int rows, int cols, float[] out, boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(out, 0, cols, 0f);
        }
        int bound = SPECIES.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int c = 0;
            for (; c < bound; c += LANES) {
                FloatVector.fromArray(SPECIES, out, c).add(FloatVector.fromArray(SPECIES, x, o + c)).intoArray(out, c);
            }
            if (c < cols) {
                VectorMask<Float> m = SPECIES.indexInRange(c, cols);
                FloatVector.fromArray(SPECIES, out, c, m).add(FloatVector.fromArray(SPECIES, x, o + c, m))
                        .intoArray(out, c, m);
            }
        }
    }

    /** {@code out[r][c] = x[r][c] · factor[r]}. */
    static void scaleRows(float[] x, int rows, int cols, float[] factor, float[] out) {
        if (NarrowRows.applies(cols)) VectorKernels.SCALAR.scaleRows(x, rows, cols, factor, out);
        else vectorScaleRows(x, rows, cols, factor, out);
    }

    /** The vector code of {@link #scaleRows}, at any row width. */
    static void vectorScaleRows(float[] x, int rows, int cols, float[] factor, float[] out) {
        int bound = SPECIES.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float f = factor[r];
            int c = 0;
            for (; c < bound; c += LANES) {
                FloatVector.fromArray(SPECIES, x, o + c).mul(f).intoArray(out, o + c);
            }
            if (c < cols) {
                VectorMask<Float> m = SPECIES.indexInRange(c, cols);
                FloatVector.fromArray(SPECIES, x, o + c, m).mul(f).intoArray(out, o + c, m);
            }
        }
    }

    /** {@code out[r] = Σ_c a[r][c]·b[r][c]} (lane-wise fma partial sums, then added across lanes). */
    static void rowDots(float[] a, float[] b, float[] out, int rows, int cols) {
        if (NarrowRows.applies(cols)) NarrowRows.rowDots(a, b, out, rows, cols);
        else vectorRowDots(a, b, out, rows, cols);
    }

    /** The vector code of {@link #rowDots}, at any row width. */
    static void vectorRowDots(float[] a, float[] b, float[] out, int rows, int cols) {
        int bound = SPECIES.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            FloatVector acc = FloatVector.zero(SPECIES);
            int c = 0;
            for (; c < bound; c += LANES) {
                acc = FloatVector.fromArray(SPECIES, a, o + c).fma(FloatVector.fromArray(SPECIES, b, o + c), acc);
            }
            if (c < cols) {
                VectorMask<Float> m = SPECIES.indexInRange(c, cols);
                acc = FloatVector.fromArray(SPECIES, a, o + c, m).fma(FloatVector.fromArray(SPECIES, b, o + c, m), acc);
            }
            // VectorMath.sumLanes written out: no vector crosses a call (see VectorMath.expShifted)
            if (LANES > 1) acc = acc.add(acc.rearrange(VectorMath.PAIRS_1));
            if (LANES > 2) acc = acc.add(acc.rearrange(VectorMath.PAIRS_2));
            if (LANES > 4) acc = acc.add(acc.rearrange(VectorMath.PAIRS_4));
            if (LANES > 8) acc = acc.add(acc.rearrange(VectorMath.PAIRS_8));
            if (LANES > 16) acc = acc.add(acc.rearrange(VectorMath.PAIRS_16));
            if (LANES > 32) acc = acc.add(acc.rearrange(VectorMath.PAIRS_32));
            out[r] = acc.lane(0);
        }
    }

    /**
     * {@code y[r][c] = e^(x[r][c] − max_r) / Σ_c e^(x[r][c] − max_r)}. Three passes per row: max,
     * exponentials (stored in y) with their sum, and the scaling by 1/sum.
     */
    static void softmaxRows(float[] x, float[] y, int rows, int cols) {
        if (NarrowRows.applies(cols)) NarrowRows.softmaxRows(x, y, rows, cols);
        else vectorSoftmaxRows(x, y, rows, cols);
    }

    /** The vector code of {@link #softmaxRows}, at any row width. */
    static void vectorSoftmaxRows(float[] x, float[] y, int rows, int cols) {
        int bound = SPECIES.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = rowMax(x, o, cols);
            VectorMath.expShifted(x, o, y, o, cols, max);
            float inv = 1f / sumRow(y, o, cols);
            int c = 0;
            for (; c < bound; c += LANES) {
                FloatVector.fromArray(SPECIES, y, o + c).mul(inv).intoArray(y, o + c);
            }
            if (c < cols) {
                VectorMask<Float> m = SPECIES.indexInRange(c, cols);
                FloatVector.fromArray(SPECIES, y, o + c, m).mul(inv).intoArray(y, o + c, m);
            }
        }
    }

    /**
     * {@code Σ_c y[o + c]}: lane-wise partial sums over the row, then the lanes in a fixed tree order.
     * Apart from the exponentials ({@link VectorMath#expShifted}), so that no vector crosses a method
     * boundary: C2 does not always inline a callee that takes a vector, and then boxes the vector.
     */
    private static float sumRow(float[] y, int o, int cols) {
        FloatVector sum = FloatVector.zero(SPECIES);
        for (int c = 0; c < cols; c += LANES) {
            VectorMask<Float> m = SPECIES.indexInRange(c, cols);
            sum = sum.add(FloatVector.fromArray(SPECIES, y, o + c, m), m);
        }
        // VectorMath.sumLanes written out: no vector crosses a call (see VectorMath.expShifted)
        if (LANES > 1) sum = sum.add(sum.rearrange(VectorMath.PAIRS_1));
        if (LANES > 2) sum = sum.add(sum.rearrange(VectorMath.PAIRS_2));
        if (LANES > 4) sum = sum.add(sum.rearrange(VectorMath.PAIRS_4));
        if (LANES > 8) sum = sum.add(sum.rearrange(VectorMath.PAIRS_8));
        if (LANES > 16) sum = sum.add(sum.rearrange(VectorMath.PAIRS_16));
        if (LANES > 32) sum = sum.add(sum.rearrange(VectorMath.PAIRS_32));
        return sum.lane(0);
    }

    /** Scratch row for {@link #logSumExpRows}, per thread: grown on first need, then reused. */
    private static final ThreadLocal<float[][]> ROW = ThreadLocal.withInitial(() -> new float[1][0]);

    /** {@code dx[r][c] = y[r][c]·(dy[r][c] − Σ_j dy[r][j]·y[r][j])}. */
    static void softmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols) {
        if (NarrowRows.applies(cols)) NarrowRows.softmaxBackwardRows(y, dy, dx, rows, cols);
        else vectorSoftmaxBackwardRows(y, dy, dx, rows, cols);
    }

    /** The vector code of {@link #softmaxBackwardRows}, at any row width. */
    static void vectorSoftmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols) {
        int bound = SPECIES.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            FloatVector acc = FloatVector.zero(SPECIES);
            int c = 0;
            for (; c < bound; c += LANES) {
                acc = acc.add(FloatVector.fromArray(SPECIES, dy, o + c).mul(FloatVector.fromArray(SPECIES, y, o + c)));
            }
            VectorMask<Float> tail = SPECIES.indexInRange(c, cols);
            if (c < cols) {
                acc = acc.add(FloatVector.fromArray(SPECIES, dy, o + c, tail)
                        .mul(FloatVector.fromArray(SPECIES, y, o + c, tail)));
            }
            // VectorMath.sumLanes written out: no vector crosses a call (see VectorMath.expShifted)
            if (LANES > 1) acc = acc.add(acc.rearrange(VectorMath.PAIRS_1));
            if (LANES > 2) acc = acc.add(acc.rearrange(VectorMath.PAIRS_2));
            if (LANES > 4) acc = acc.add(acc.rearrange(VectorMath.PAIRS_4));
            if (LANES > 8) acc = acc.add(acc.rearrange(VectorMath.PAIRS_8));
            if (LANES > 16) acc = acc.add(acc.rearrange(VectorMath.PAIRS_16));
            if (LANES > 32) acc = acc.add(acc.rearrange(VectorMath.PAIRS_32));
            float s = acc.lane(0);
            c = 0;
            for (; c < bound; c += LANES) {
                FloatVector yv = FloatVector.fromArray(SPECIES, y, o + c);
                yv.mul(FloatVector.fromArray(SPECIES, dy, o + c).sub(s)).intoArray(dx, o + c);
            }
            if (c < cols) {
                FloatVector yv = FloatVector.fromArray(SPECIES, y, o + c, tail);
                yv.mul(FloatVector.fromArray(SPECIES, dy, o + c, tail).sub(s)).intoArray(dx, o + c, tail);
            }
        }
    }

    /** {@code out[r] = max_r + ln Σ_c e^(x[r][c] − max_r)}; a row of −∞ gives −∞. */
    static void logSumExpRows(float[] x, float[] out, int rows, int cols) {
        if (NarrowRows.applies(cols)) NarrowRows.logSumExpRows(x, out, rows, cols);
        else vectorLogSumExpRows(x, out, rows, cols);
    }

    /** The vector code of {@link #logSumExpRows}, at any row width. */
    static void vectorLogSumExpRows(float[] x, float[] out, int rows, int cols) {
        float[][] holder = ROW.get();
        if (holder[0].length < cols) holder[0] = new float[cols];
        float[] row = holder[0];
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = rowMax(x, o, cols);
            if (max == Float.NEGATIVE_INFINITY) {
                out[r] = max;
                continue;
            }
            VectorMath.expShifted(x, o, row, 0, cols, max);
            out[r] = max + (float) Math.log(sumRow(row, 0, cols));
        }
    }

    /**
     * {@code out[r]} = the first column holding the row's maximum, with the scalar twin's comparison
     * rule: a NaN never wins, but a NaN in column 0 is never beaten (nothing compares greater).
     */
    static void argmaxRows(float[] x, int rows, int cols, int[] out) {
        if (NarrowRows.applies(cols)) VectorKernels.SCALAR.argmaxRows(x, rows, cols, out);
        else vectorArgmaxRows(x, rows, cols, out);
    }

    /** The vector code of {@link #argmaxRows}, at any row width. */
    static void vectorArgmaxRows(float[] x, int rows, int cols, int[] out) {
        int bound = SPECIES.loopBound(cols);
        FloatVector negInf = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            if (cols == 0 || Float.isNaN(x[o])) {
                out[r] = 0;
                continue;
            }
            // The largest non-NaN value (NaN lanes and tail lanes count as −∞).
            FloatVector max = negInf;
            int c = 0;
            for (; c < bound; c += LANES) {
                FloatVector v = FloatVector.fromArray(SPECIES, x, o + c);
                max = max.max(negInf.blend(v, v.compare(VectorOperators.EQ, v)));
            }
            if (c < cols) {
                VectorMask<Float> m = SPECIES.indexInRange(c, cols);
                FloatVector v = FloatVector.fromArray(SPECIES, x, o + c, m);
                max = max.max(negInf.blend(v, v.compare(VectorOperators.EQ, v).and(m)));
            }
            float best = max.reduceLanes(VectorOperators.MAX);
            out[r] = firstEqual(x, o, cols, best);
        }
    }

    /** The first column of the row at {@code o} whose value equals {@code value} (−0 equals +0). */
    private static int firstEqual(float[] x, int o, int cols, float value) {
        int bound = SPECIES.loopBound(cols);
        int c = 0;
        for (; c < bound; c += LANES) {
            VectorMask<Float> eq = FloatVector.fromArray(SPECIES, x, o + c).compare(VectorOperators.EQ, value);
            if (eq.anyTrue()) {
                return c + eq.firstTrue();
            }
        }
        if (c < cols) {
            VectorMask<Float> m = SPECIES.indexInRange(c, cols);
            VectorMask<Float> eq = FloatVector.fromArray(SPECIES, x, o + c, m).compare(VectorOperators.EQ, value).and(m);
            if (eq.anyTrue()) {
                return c + eq.firstTrue();
            }
        }
        throw new IllegalStateException("argmax: no element equals the row maximum " + value);
    }

    /** Largest element of a row (NaN if any element is NaN, like repeated {@link Math#max}); −∞ for an empty row. */
    static float rowMax(float[] x, int o, int cols) {
        FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int bound = SPECIES.loopBound(cols);
        int c = 0;
        for (; c < bound; c += LANES) {
            max = max.max(FloatVector.fromArray(SPECIES, x, o + c));
        }
        if (c < cols) {
            VectorMask<Float> m = SPECIES.indexInRange(c, cols);
            max = max.lanewise(VectorOperators.MAX, FloatVector.fromArray(SPECIES, x, o + c, m), m);
        }
        return max.reduceLanes(VectorOperators.MAX);
    }
}
