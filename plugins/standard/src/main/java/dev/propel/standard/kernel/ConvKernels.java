package dev.propel.standard.kernel;

import dev.propel.spi.KernelFamily;

/**
 * The loops of the standard plugin's 2-D convolution and pooling layers, on NCHW data (batch first): the
 * plugin's own kernel family. The matrix products of a convolution are the core's {@code gemm}; these
 * kernels lay the data out for them and back, and do what is not a product.
 *
 * <p><b>Column layout.</b> A convolution over a chunk of {@code samples} samples multiplies the weight
 * {@code [out, channels·kh·kw]} by the column matrix {@code col [channels·kh·kw, samples·outH·outW]}: row
 * {@code (c·kh + i)·kw + j} holds tap {@code (i, j)} of channel {@code c}, column {@code s·outH·outW +
 * oh·outW + ow} the window of output position {@code (oh, ow)} of sample {@code s} of the chunk. The rows of
 * a channel group are consecutive, so grouped convolutions multiply blocks of it. The product comes out
 * channel-major ({@code [out, samples·outH·outW]}); {@link #channelsToSamples} turns it into NCHW.
 *
 * <p><b>Ranges.</b> Every method works on the channels {@code [channelFrom, channelTo)} (pooling: on the
 * planes, {@code sample·channels + channel}, in {@code [planeFrom, planeTo)}) and writes nothing of the
 * others, so a layer may split a call over the kernel threads ({@code Kernels.parallelRanges}). Each output
 * element is computed by one call in a fixed order, so the split never changes a bit.
 *
 * <p>{@link ScalarConvKernels} is the reference. {@link VectorConvKernels} gives the same bits for
 * everything but the sums over many positions (a depthwise weight gradient, a bias gradient), which it adds
 * up in vector lanes; those agree within rounding.
 */
public interface ConvKernels {

    /**
     * Fills the rows of channels {@code [channelFrom, channelTo)} of {@code col} (row length
     * {@code samples·outH·outW}) from the samples {@code [sampleFrom, sampleFrom + samples)} of {@code x}
     * ({@code [batch, channels, height, width]}); taps in the padding read 0.
     */
    void im2col(ConvGeometry g, float[] x, int sampleFrom, int samples, float[] col, int channelFrom, int channelTo);

    /**
     * The adjoint of {@link #im2col}: overwrites the channels {@code [channelFrom, channelTo)} of the samples
     * {@code [sampleFrom, sampleFrom + samples)} of {@code dx} with the sum, over the taps in order, of the
     * column entries that read each input value (entries that read padding are dropped, and may be set to 0 in
     * {@code col}: it is the pass's own ∂col, free to overwrite).
     */
    void col2im(ConvGeometry g, float[] col, int sampleFrom, int samples, float[] dx, int channelFrom, int channelTo);

    /**
     * {@code y[sampleFrom + s, c, p] = t[c, s·spatial + p] + bias[c]} (no bias when {@code bias} is null) for
     * the chunk's samples and the channels in range: a channel-major product back to NCHW
     * ({@code y} has {@code channels} channels of {@code spatial} values per sample).
     */
    void channelsToSamples(float[] t, float[] bias, float[] y, int sampleFrom, int samples, int channels, int spatial,
                           int channelFrom, int channelTo);

    /**
     * The reverse of {@link #channelsToSamples}: {@code t[c, s·spatial + p] = dy[sampleFrom + s, c, p]}, and
     * when {@code biasSums} is not null {@code biasSums[biasOff + c] =} the sum of those values (the chunk's
     * share of the bias gradient, added up sample by sample from 0).
     */
    void samplesToChannels(float[] dy, float[] t, float[] biasSums, int biasOff, int sampleFrom, int samples,
                           int channels, int spatial, int channelFrom, int channelTo);

    /**
     * Depthwise convolution (one filter per channel, {@code weight [channels, kh, kw]}):
     * {@code y[n, c, oh, ow] = bias[c] + Σ_{i,j} w[c, i, j]·x[n, c, oh·sh − ph + i·dh, ow·sw − pw + j·dw]},
     * the taps in row-major order, each a fused multiply-add, taps in the padding skipped.
     */
    void depthwiseForward(ConvGeometry g, float[] x, float[] weight, float[] bias, float[] y, int batch,
                          int channelFrom, int channelTo);

    /**
     * The gradients of {@link #depthwiseForward}: {@code dWeight[c, i, j] +=} and {@code dBias[c] +=} (when not
     * null) the sums over the batch, and, when {@code dx} is not null, {@code dx} overwritten with
     * {@code Σ w[c, i, j]·dy[n, c, oh, ow]} over the output positions and taps that read each input value.
     */
    void depthwiseBackward(ConvGeometry g, float[] x, float[] weight, float[] dy, float[] dx, float[] dWeight,
                           float[] dBias, int batch, int channelFrom, int channelTo);

    /**
     * Max pooling: {@code y} = the largest value of each window (padding never wins), {@code argmax} = its
     * index within the input plane, the first one on ties (as PyTorch), stored as a float (exact below 2²⁴).
     */
    void maxPoolForward(ConvGeometry g, float[] x, float[] y, float[] argmax, int planeFrom, int planeTo);

    /** Overwrites the planes of {@code dx} with {@code dy} routed to the {@code argmax} of each window, summed where windows share it. */
    void maxPoolBackward(ConvGeometry g, float[] dy, float[] argmax, float[] dx, int planeFrom, int planeTo);

    /** Average pooling with the padding counted ({@code count_include_pad}): each window's sum divided by kh·kw. */
    void avgPoolForward(ConvGeometry g, float[] x, float[] y, int planeFrom, int planeTo);

    /** Overwrites the planes of {@code dx} with the gradient of {@link #avgPoolForward}: each {@code dy / (kh·kw)} added to its window. */
    void avgPoolBackward(ConvGeometry g, float[] dy, float[] dx, int planeFrom, int planeTo);

    /**
     * The family the plugin registers. The vector implementation is made by a lambda, so its class (which
     * links against {@code jdk.incubator.vector}) is loaded only when the core runs vector kernels.
     */
    static KernelFamily<ConvKernels> family() {
        return new KernelFamily<>(ConvKernels.class, new ScalarConvKernels(), () -> new VectorConvKernels());
    }
}
