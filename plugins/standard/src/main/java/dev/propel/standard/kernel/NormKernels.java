package dev.propel.standard.kernel;

import dev.propel.spi.KernelFamily;

/**
 * The loops of batch normalisation on {@code [batch, channels, spatial]} data (NCHW with {@code spatial = H·W})
 * and of layer normalisation over the channels of each pixel ({@code [blocks, features, inner]}, ConvNeXt's):
 * the statistics, the normalisation and the gradients in a few passes over the values, instead of one kernel
 * call per arithmetic step over the whole batch.
 *
 * <p><b>Order of the sums.</b> The sums over a channel's M = batch·spatial values run over the batch first, one
 * running sum per position {@code s} (samples in order, into {@code acc}), then over the positions in order.
 * The first step is element-wise across positions, so the vector implementation computes it a vector at a
 * time with the scalar twin's operations, and both give the same bits; the second is plain Java in both.
 *
 * Layer normalisation's statistics are per position: sums over the features in order, element-wise across the
 * positions, the same bits in both implementations again.
 *
 * <p><b>Ranges.</b> Every method works on the channels {@code [channelFrom, channelTo)} (layer normalisation: the
 * blocks {@code [blockFrom, blockTo)}) and reads and writes nothing of the others (of {@code acc}, only those
 * channels' {@code spatial} floats), so a layer may split a call over the kernel threads; the split never
 * changes a bit.
 */
public interface NormKernels {

    /**
     * Positions per channel from which a layer should use these kernels: below it (a {@code [C]} feature
     * vector, {@code spatial = 1}) a channel's values are {@code channels} floats apart and the core's
     * whole-batch primitives are faster.
     */
    int MIN_SPATIAL = 8;

    /**
     * Batch normalisation's training forward pass, per channel c with M = batch·spatial:
     * <pre>
     *   μ = (Σ x)·(1/M)          q = Σ (x − μ)²  (each square a fused multiply-add)     r = 1/√(q·(1/M) + ε)
     *   xh = (x − μ)·r           y = xh·γ + β    (y = xh when gamma is null)
     * </pre>
     * writing {@code mean[c] = μ}, {@code squares[c] = q}, {@code rstd[c] = r}, and xh and y for every value.
     *
     * @param acc scratch of {@code channels·spatial} floats
     */
    void batchNormForward(float[] x, int batch, int channels, int spatial, float eps, float[] gamma, float[] beta,
                          float[] acc, float[] mean, float[] squares, float[] rstd, float[] xh, float[] y,
                          int channelFrom, int channelTo);

    /**
     * The gradients of {@link #batchNormForward} from the saved xh and r, per channel:
     * <pre>
     *   Σdy → sumDy[c]      Σ dy·xh → sumDyXh[c]   (fused multiply-adds)
     *   dx = ((M·dy − xh·Σdy·xh) − Σdy)·coef,  coef = r·(1/M)·γ   (γ = 1 when gamma is null)
     * </pre>
     * {@code dx} is skipped when null.
     *
     * @param acc scratch of {@code 2·channels·spatial} floats
     */
    void batchNormBackward(float[] dy, float[] xh, int batch, int channels, int spatial, float[] rstd, float[] gamma,
                           float[] acc, float[] sumDy, float[] sumDyXh, float[] dx, int channelFrom, int channelTo);

    /** {@code y[n, c, s] = x[n, c, s]·a[c] + b[c]} (a multiply, then an add): batch normalisation at inference. */
    void channelAffine(float[] x, int batch, int channels, int spatial, float[] a, float[] b, float[] y,
                       int channelFrom, int channelTo);

    /**
     * Layer normalisation over the middle axis of {@code [blocks, features, inner]}, for the blocks in range: per
     * block o and position i, with D = features,
     * <pre>
     *   μ = (Σ_d x)·(1/D)     q = Σ_d (x − μ)²  (fused multiply-adds)     r = 1/√(q·(1/D) + ε)
     *   xh = (x − μ)·r        y = xh·γ[d] + β[d]   (y = xh when gamma is null)
     * </pre>
     * writing {@code mean[o·inner + i] = μ}, {@code rstd[o·inner + i] = r}, and xh and y for every value.
     */
    void layerNormForward(float[] x, int features, int inner, float eps, float[] gamma, float[] beta, float[] mean,
                          float[] rstd, float[] xh, float[] y, int blockFrom, int blockTo);

    /**
     * The input gradient of {@link #layerNormForward} from the saved xh and r, per block and position, with
     * {@code t = γ[d]·dy} ({@code t = dy} when gamma is null):
     * <pre>
     *   a = (Σ_d t)·(1/D)     b = (Σ_d t·xh)·(1/D)   (fused multiply-adds)      dx = ((t − a) − xh·b)·r
     * </pre>
     * {@code meanT} and {@code meanTXh} receive a and b ({@code blocks·inner} floats each).
     */
    void layerNormBackward(float[] dy, float[] xh, int features, int inner, float[] gamma, float[] rstd, float[] meanT,
                           float[] meanTXh, float[] dx, int blockFrom, int blockTo);

    /**
     * The family the plugin registers. The vector implementation is made by a lambda, so its class (which
     * links against {@code jdk.incubator.vector}) is loaded only when the core runs vector kernels.
     */
    static KernelFamily<NormKernels> family() {
        return new KernelFamily<>(NormKernels.class, new ScalarNormKernels(), () -> new VectorNormKernels());
    }
}
