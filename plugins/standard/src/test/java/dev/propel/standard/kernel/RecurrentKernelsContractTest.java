package dev.propel.standard.kernel;

import dev.propel.spi.KernelFamily;
import dev.propel.testkit.KernelFamilyContract;
import dev.propel.testkit.KernelProbe;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The Vector API cells against the scalar ones on random steps of 3 samples with n hidden units (sizes
 * with tails), strided inputs and outputs as the layer uses them, with and without a previous state and
 * an output gradient. Forward cells (σ, tanh) agree within float rounding; the backward passes of rnn and
 * gru are plain arithmetic and must give the same bits, as must LSTM's once tanh(c) is the same.
 */
class RecurrentKernelsContractTest extends KernelFamilyContract<RecurrentKernels> {
    private static final int BATCH = 3;
    /** Extra values between the rows of a strided operand, as a sequence buffer has. */
    private static final int GAP = 5;

    private static float[] u(RandomGenerator rng, int n, double bound) {
        return KernelProbe.uniform(rng, n, -bound, bound);
    }

    static float[] rnnForward(RecurrentKernels k, RandomGenerator rng, int n, boolean relu) {
        int stride = n + GAP;
        float[] xp = u(rng, BATCH * stride, 3), hp = u(rng, BATCH * n, 3), b = u(rng, n, 1);
        float[] h = new float[BATCH * stride + 2];
        k.rnnCell(relu, 0, BATCH, n, xp, 1, stride, hp, b, h, 2, stride);
        return h;
    }

    static float[] rnnBackward(RecurrentKernels k, RandomGenerator rng, int n, boolean relu, boolean withDy) {
        int stride = n + GAP;
        float[] h = u(rng, BATCH * stride, 1), dy = u(rng, BATCH * stride, 1), dh = u(rng, BATCH * n, 1);
        float[] da = new float[BATCH * stride];
        k.rnnCellBackward(relu, 0, BATCH, n, h, 0, stride, withDy ? dy : null, 3, stride, dh, da, 1, stride);
        return da;
    }

    static float[] lstm(RecurrentKernels k, RandomGenerator rng, int n, boolean first) {
        int g = 4 * n, stride = g + GAP;
        float[] xp = u(rng, BATCH * stride, 4), hp = u(rng, BATCH * g, 2), b = u(rng, g, 1), cPrev = u(rng, BATCH * n + 1, 2);
        float[] gates = new float[BATCH * g], c = new float[BATCH * n], h = new float[BATCH * (n + GAP)];
        k.lstmCell(0, BATCH, n, xp, 2, stride, hp, b, first ? null : cPrev, 1, gates, 0, c, 0, h, 1, n + GAP);
        float[] dy = u(rng, BATCH * n, 1), dh = u(rng, BATCH * n, 1), dc = u(rng, BATCH * n, 1);
        float[] da = new float[BATCH * stride];
        k.lstmCellBackward(0, BATCH, n, gates, 0, first ? null : cPrev, 1, c, 0, dy, 0, n, dh, dc, da, 2, stride);
        return KernelProbe.concat(gates, c, h, da, dc);
    }

    static float[] gruForward(RecurrentKernels k, RandomGenerator rng, int n, boolean first) {
        int g = 3 * n, stride = g + GAP;
        float[] xp = u(rng, BATCH * stride, 4), hp = u(rng, BATCH * g, 2), b = u(rng, g, 1), hPrev = u(rng, BATCH * stride, 1);
        float[] gates = new float[BATCH * g], hn = new float[BATCH * n], h = new float[BATCH * stride];
        k.gruCell(0, BATCH, n, xp, 2, stride, hp, b, first ? null : hPrev, 1, stride, gates, 0, hn, 0, h, 3, stride);
        return KernelProbe.concat(gates, hn, h);
    }

    static float[] gruBackward(RecurrentKernels k, RandomGenerator rng, int n, boolean first) {
        int g = 3 * n, stride = g + GAP;
        float[] gates = KernelProbe.uniform(rng, BATCH * g, 0, 1), hn = u(rng, BATCH * n, 2), hPrev = u(rng, BATCH * stride, 1);
        float[] dy = u(rng, BATCH * stride, 1), dh = u(rng, BATCH * n, 1);
        float[] dhPrev = new float[BATCH * n], da = new float[BATCH * stride], daHidden = new float[BATCH * g];
        k.gruCellBackward(0, BATCH, n, gates, 0, hn, 0, first ? null : hPrev, 1, stride, dy, 2, stride, dh, dhPrev, da, 1, stride, daHidden);
        return KernelProbe.concat(dhPrev, da, daHidden);
    }

    @Override
    protected KernelFamily<RecurrentKernels> family() {
        return RecurrentKernels.family();
    }

    @Override
    protected List<KernelProbe<RecurrentKernels>> probes() {
        return List.of(
                KernelProbe.within("rnn tanh", 1e-6, 1e-7, (k, rng, n) -> rnnForward(k, rng, n, false)),
                KernelProbe.bitwise("rnn relu", (k, rng, n) -> rnnForward(k, rng, n, true)),
                KernelProbe.bitwise("rnn tanh backward", (k, rng, n) -> rnnBackward(k, rng, n, false, true)),
                KernelProbe.bitwise("rnn relu backward, no output gradient", (k, rng, n) -> rnnBackward(k, rng, n, true, false)),
                KernelProbe.within("lstm step and backward", 1e-5, 1e-6, (k, rng, n) -> lstm(k, rng, n, false)),
                KernelProbe.within("lstm first step and backward", 1e-5, 1e-6, (k, rng, n) -> lstm(k, rng, n, true)),
                KernelProbe.within("gru step", 1e-5, 1e-6, (k, rng, n) -> gruForward(k, rng, n, false)),
                KernelProbe.within("gru first step", 1e-5, 1e-6, (k, rng, n) -> gruForward(k, rng, n, true)),
                KernelProbe.bitwise("gru backward", (k, rng, n) -> gruBackward(k, rng, n, false)),
                KernelProbe.bitwise("gru backward, first step", (k, rng, n) -> gruBackward(k, rng, n, true)));
    }
}
