package dev.propel.kernel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Prints, for every Vector API kernel, a CRC of the exact bits it produces on fixed inputs. With the
 * argument {@code warm}, each kernel first runs often enough on small inputs for C2 to compile it
 * (run the JVM with {@code -Xbatch} so compilation finishes before the code goes on). Run once under
 * {@code -Xint} (the Java fallback only) and once warm: the two outputs must be identical.
 */
public final class KernelFingerprintMain {
    static final int ROWS = 37;
    static final int COLS = 53;
    static final int N = ROWS * COLS;

    public static void main(String[] args) {
        boolean warm = args.length > 0 && args[0].equals("warm");
        try (Kernels k = new VectorKernels(1)) {
            Map<String, Consumer<float[][]>> ops = ops(k);
            for (Map.Entry<String, Consumer<float[][]>> op : ops.entrySet()) {
                if (warm) {
                    float[][] small = inputs(3);
                    for (int i = 0; i < 20_000; i++) op.getValue().accept(small);
                }
                float[][] io = inputs(1);
                op.getValue().accept(io);
                CRC32 crc = new CRC32();
                for (float[] a : io) for (float f : a) crc.update(Float.floatToRawIntBits(f));
                System.out.println(op.getKey() + " " + Long.toHexString(crc.getValue()));
            }
        }
    }

    /** Four arrays of N values in [-6, 6) (the fourth in (0, 1), usable as probabilities) and one of results. */
    static float[][] inputs(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] a = new float[5][N];
        for (int j = 0; j < 3; j++) for (int i = 0; i < N; i++) a[j][i] = (float) rng.nextDouble(-6, 6);
        for (int i = 0; i < N; i++) a[3][i] = (float) rng.nextDouble(0.001, 0.999);
        return a;
    }

    static Map<String, Consumer<float[][]>> ops(Kernels k) {
        Map<String, Consumer<float[][]>> m = new LinkedHashMap<>();
        m.put("gemm", a -> k.gemm(false, true, ROWS, ROWS, COLS, 1f, a[0], 0, COLS, a[1], 0, COLS, 0f, a[4], 0, ROWS));
        m.put("gemm_dot", a -> k.gemm(false, true, 3, ROWS, COLS, 1f, a[0], 0, COLS, a[1], 0, COLS, 0.5f, a[4], 0, ROWS));
        m.put("bias_relu", a -> k.addRowVectorRelu(a[0], ROWS, COLS, a[1]));
        m.put("relu_backward_sum_rows", a -> k.reluBackwardSumRows(a[0], a[1], a[4], ROWS, COLS, a[2]));
        m.put("sigmoid", a -> k.sigmoid(a[0], a[4], N));
        m.put("tanh", a -> k.tanh(a[0], a[4], N));
        m.put("gelu", a -> k.gelu(a[0], a[4], N, false));
        m.put("gelu_tanh", a -> k.gelu(a[0], a[4], N, true));
        m.put("gelu_backward", a -> k.geluBackward(a[0], a[1], a[4], N, false));
        m.put("gelu_tanh_backward", a -> k.geluBackward(a[0], a[1], a[4], N, true));
        m.put("softmax", a -> k.softmaxRows(a[0], a[4], ROWS, COLS));
        m.put("softmax_backward", a -> k.softmaxBackwardRows(a[3], a[1], a[4], ROWS, COLS));
        m.put("log_sum_exp", a -> k.logSumExpRows(a[0], a[4], ROWS, COLS));
        m.put("row_dots", a -> k.rowDots(a[0], a[1], a[4], ROWS, COLS));
        m.put("row_sum_squares", a -> k.rowSumSquares(a[0], ROWS, COLS, a[4]));
        m.put("sum_rows", a -> k.sumRows(a[0], ROWS, COLS, a[4], false));
        m.put("reductions", a -> {
            a[4][0] = k.sum(a[0], N);
            a[4][1] = k.dot(a[0], a[1], N);
            a[4][2] = k.sumSquares(a[2], N);
        });
        return m;
    }
}
