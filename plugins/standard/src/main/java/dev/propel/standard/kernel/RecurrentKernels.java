package dev.propel.standard.kernel;

import dev.propel.spi.KernelFamily;

/**
 * The per-step cell arithmetic of the recurrent layers ({@code rnn}, {@code lstm}, {@code gru}): the
 * plugin's own kernel family. The matrix products (the input projection of all steps, the recurrent
 * product of each step, the weight gradients) go through the core's {@code gemm}; these kernels fuse
 * what comes between them — the sum of the two projections and the bias, the gate nonlinearities and the
 * state update — in one call per time step, and its backward counterpart.
 *
 * <p>Layout, as PyTorch: a step's pre-activations {@code a = xp + hp + b_hh} have {@code G·H} values per
 * sample, gate {@code k} in columns {@code [k·H, (k+1)·H)}; LSTM gates i, f, g, o; GRU gates r, z, n. The
 * input projection {@code xp} (with {@code b_ih}) and the hidden states are strided: sample {@code b} of
 * the step starts at {@code off + b·stride}. The recurrent product {@code hp} ({@code [batch, G·H]}) and the
 * per-step scratch ({@code dhRec}, {@code dc}, {@code dhPrev}, {@code daHidden}) are dense. A null
 * {@code bhh} means no hidden bias; a null {@code xp} (rnn and lstm) means that {@code hp} already holds the
 * input projection too, the step's product having taken {@code [x_t | h_prev | 1]} at once; a null previous
 * state means the zero initial state; a null {@code dy} means no gradient arrives from the output at this step.
 *
 * <p>{@link ScalarRecurrentKernels} is the reference (transcendentals in double); {@link VectorRecurrentKernels}
 * agrees within float rounding of the nonlinearities, and has the same bits in the backward passes of
 * {@code rnn} and {@code gru}, which are plain arithmetic. Every element is computed alone, so results do
 * not depend on the thread count. Each call computes the samples {@code [from, to)} of the step (their rows
 * of every array, at the same offsets and strides as for the whole batch), so a layer can split a step's
 * samples over the kernel threads.
 */
public interface RecurrentKernels {

    /** Elman step: {@code h = f(xp + hp + b_hh)} with f = tanh, or ReLU when {@code relu}. */
    void rnnCell(boolean relu, int from, int to, int hidden, float[] xp, int xpOff, int xpStride, float[] hp, float[] bhh,
                 float[] h, int hOff, int hStride);

    /**
     * Elman step backward: {@code dh = dhRec + dy}; {@code da = dh·f'(a)} from the step's output h
     * ({@code 1 − h²} for tanh, {@code h > 0} for ReLU).
     */
    void rnnCellBackward(boolean relu, int from, int to, int hidden, float[] h, int hOff, int hStride,
                         float[] dy, int dyOff, int dyStride, float[] dhRec, float[] da, int daOff, int daStride);

    /**
     * LSTM step: {@code i, f, o = σ(a_i, a_f, a_o)}, {@code g = tanh(a_g)}, {@code c = f·c_prev + i·g},
     * {@code h = o·tanh(c)}. Writes the activated gates ({@code [batch, 4H]} at {@code gOff}) and c
     * ({@code [batch, H]} at {@code cOff}) for the backward pass.
     */
    void lstmCell(int from, int to, int hidden, float[] xp, int xpOff, int xpStride, float[] hp, float[] bhh,
                  float[] cPrev, int cPrevOff, float[] gates, int gOff, float[] c, int cOff, float[] h, int hOff, int hStride);

    /**
     * LSTM step backward. With {@code dh = dhRec + dy} and {@code dc} holding ∂L/∂c from the later step
     * (dense {@code [batch, H]}): {@code dc' = dc + dh·o·(1 − tanh²c)}, gate gradients
     * {@code da_i = dc'·g·i(1−i)}, {@code da_f = dc'·c_prev·f(1−f)}, {@code da_g = dc'·i·(1−g²)},
     * {@code da_o = dh·tanh c·o(1−o)}; {@code dc} becomes {@code dc'·f}, the gradient of c_prev.
     */
    void lstmCellBackward(int from, int to, int hidden, float[] gates, int gOff, float[] cPrev, int cPrevOff, float[] c, int cOff,
                          float[] dy, int dyOff, int dyStride, float[] dhRec, float[] dc, float[] da, int daOff, int daStride);

    /**
     * GRU step (PyTorch): {@code r, z = σ(a_r, a_z)}, {@code hn = hp_n + b_hn},
     * {@code n = tanh(xp_n + r·hn)}, {@code h = (1 − z)·n + z·h_prev}. Writes the gates r, z, n
     * ({@code [batch, 3H]} at {@code gOff}) and hn ({@code [batch, H]} at {@code hnOff}) for the backward pass.
     */
    void gruCell(int from, int to, int hidden, float[] xp, int xpOff, int xpStride, float[] hp, float[] bhh,
                 float[] hPrev, int hPrevOff, int hPrevStride, float[] gates, int gOff, float[] hn, int hnOff,
                 float[] h, int hOff, int hStride);

    /**
     * GRU step backward. With {@code dh = dhRec + dy}: {@code da_n = dh·(1−z)·(1−n²)},
     * {@code da_z = dh·(h_prev − n)·z(1−z)}, {@code da_r = da_n·hn·r(1−r)}; {@code da} (the input side,
     * {@code [batch, 3H]}, strided) gets {@code (da_r, da_z, da_n)}, {@code daHidden} (the hidden side,
     * dense) {@code (da_r, da_z, da_n·r)}, and {@code dhPrev} (dense) the direct part {@code dh·z} of
     * ∂L/∂h_prev (the caller adds {@code daHidden·W_hh}).
     */
    void gruCellBackward(int from, int to, int hidden, float[] gates, int gOff, float[] hn, int hnOff,
                         float[] hPrev, int hPrevOff, int hPrevStride, float[] dy, int dyOff, int dyStride, float[] dhRec,
                         float[] dhPrev, float[] da, int daOff, int daStride, float[] daHidden);

    /** The family the plugin registers; the vector implementation is made only when the core runs vector kernels. */
    static KernelFamily<RecurrentKernels> family() {
        return new KernelFamily<>(RecurrentKernels.class, new ScalarRecurrentKernels(), () -> new VectorRecurrentKernels());
    }
}
