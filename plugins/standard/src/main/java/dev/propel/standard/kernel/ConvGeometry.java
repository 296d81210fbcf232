package dev.propel.standard.kernel;

/**
 * The shape of one 2-D sliding-window operation on NCHW data (convolution or pooling): per sample
 * {@code channels × height × width} in, windows of {@code kernelH × kernelW} taps spaced by the dilation,
 * moved by the stride over the input padded with zeros ({@code padTop} rows above, {@code padBottom} below,
 * {@code padLeft} and {@code padRight} columns beside; PyTorch's {@code "same"} pads one more at the end when
 * the total is odd), giving
 * {@code outH × outW} positions per channel (PyTorch's floor rule).
 */
public record ConvGeometry(int channels, int height, int width, int kernelH, int kernelW, int strideH, int strideW,
                           int padTop, int padLeft, int padBottom, int padRight, int dilationH, int dilationW) {

    /**
     * Checks the geometry; throws {@link IllegalArgumentException} for a size, kernel, stride or dilation below 1 or a
     * negative padding.
     */
    public ConvGeometry {
        if (channels < 1 || height < 1 || width < 1 || kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1
                || padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("invalid convolution geometry " + this);
        }
    }

    /** Output rows: {@code ⌊(height + padTop + padBottom − dilationH·(kernelH − 1) − 1) / strideH⌋ + 1}, below 1 when the window does not fit. */
    public int outH() {
        return Math.floorDiv(height + padTop + padBottom - dilationH * (kernelH - 1) - 1, strideH) + 1;
    }

    /** Output columns, as {@link #outH()}. */
    public int outW() {
        return Math.floorDiv(width + padLeft + padRight - dilationW * (kernelW - 1) - 1, strideW) + 1;
    }

    /** Values of one input plane. */
    public int inPlane() {
        return height * width;
    }

    /** Values of one output plane. */
    public int outPlane() {
        return outH() * outW();
    }

    /** Taps of one window. */
    public int taps() {
        return kernelH * kernelW;
    }
}
