package dev.propel.standard.kernel;

import java.util.Arrays;

/**
 * The loop nests of {@link ConvKernels}, shared by the scalar and the vector implementation so that both
 * visit every element in the same order; they differ only in the row primitives at the bottom (contiguous
 * runs of one image row), which the vector implementation computes a vector at a time with the same float
 * operations. Strided rows (stride ≠ 1) and pooling have no contiguous runs and use the plain loops here.
 */
abstract sealed class ConvLoops implements ConvKernels permits ScalarConvKernels, VectorConvKernels {

    /** {@code dst[dstOff + k] += src[srcOff + k]} for k in [0, n). */
    abstract void addRow(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /** {@code dst[dstOff + k] = fma(w, src[srcOff + k], dst[dstOff + k])} for k in [0, n). */
    abstract void fmaRow(float w, float[] src, int srcOff, float[] dst, int dstOff, int n);

    /** {@code dst[dstOff + k] = src[srcOff + k] + add} for k in [0, n). */
    abstract void copyAddRow(float[] src, int srcOff, float[] dst, int dstOff, int n, float add);

    /** {@code Σ a[aOff + k]·b[bOff + k]} for k in [0, n) (the vector implementation sums in lanes). */
    abstract float dotRow(float[] a, int aOff, float[] b, int bOff, int n);

    /** {@code Σ a[off + k]} for k in [0, n) (the vector implementation sums in lanes). */
    abstract float sumRow(float[] a, int off, int n);

    /**
     * Window sums over a plane laid out with rows {@code rowStep} apart: for q in [0, n), {@code out[outOff + q] =
     * init}, then for each tap (i, j) in row-major order {@code out[outOff + q] = fma(w[wOff + i·kw + j],
     * src[srcOff + q + i·rowStep + j·colStep], out[outOff + q])}. Every element takes the same operations in the
     * same order in both implementations (the vector one keeps a few vectors of sums in registers over the taps).
     */
    abstract void windowSums(float[] src, int srcOff, int rowStep, int colStep, float[] w, int wOff, int kh, int kw,
                             float init, float[] out, int outOff, int n);

    /** {@link #windowSums} in plain Java for the elements q in [from, to): the scalar kernels, and the vector ones' tail. */
    static void windowSumsPlain(float[] src, int srcOff, int rowStep, int colStep, float[] w, int wOff, int kh, int kw,
                                float init, float[] out, int outOff, int from, int to) {
        for (int q = from; q < to; q++) {
            float acc = init;
            for (int i = 0; i < kh; i++) {
                int row = srcOff + q + i * rowStep;
                for (int j = 0; j < kw; j++) acc = Math.fma(w[wOff + i * kw + j], src[row + j * colStep], acc);
            }
            out[outOff + q] = acc;
        }
    }

    /**
     * For each tap (i, j): {@code dW[dwOff + i·kw + j] += Σ_q a[aOff + q]·src[srcOff + q + i·rowStep + j·colStep]}
     * over q in [0, n), each a {@link #dotRow}.
     */
    private void windowDots(float[] a, int aOff, float[] src, int srcOff, int rowStep, int colStep, int kh, int kw,
                            float[] dW, int dwOff, int n) {
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                dW[dwOff + i * kw + j] += dotRow(a, aOff, src, srcOff + i * rowStep + j * colStep, n);
            }
        }
    }

    /** Each thread's working planes for the depthwise passes: grown when a larger geometry comes, else reused. */
    private final ThreadLocal<float[]> scratch = new ThreadLocal<>();

    private float[] scratch(int size) {
        float[] s = scratch.get();
        if (s == null || s.length < size) {
            s = new float[size];
            scratch.set(s);
        }
        return s;
    }

    // ---------------------------------------------------------------- column layout

    @Override
    public final void im2col(ConvGeometry g, float[] x, int sampleFrom, int samples, float[] col, int channelFrom,
                             int channelTo) {
        int height = g.height();
        int width = g.width();
        int outH = g.outH();
        int outW = g.outW();
        int plane = g.inPlane();
        int outPlane = outH * outW;
        int cols = samples * outPlane;
        boolean planes = shiftedPlanes(g);
        for (int c = channelFrom; c < channelTo; c++) {
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++) {
                    int rowBase = ((c * g.kernelH() + i) * g.kernelW() + j) * cols;
                    int iwOff = j * g.dilationW() - g.padLeft();
                    for (int s = 0; s < samples; s++) {
                        int xBase = ((sampleFrom + s) * g.channels() + c) * plane;
                        int d = rowBase + s * outPlane;
                        if (planes) {
                            readShiftedPlane(g, x, xBase, i * g.dilationH() - g.padTop(), iwOff, col, d);
                            continue;
                        }
                        for (int oh = 0; oh < outH; oh++) {
                            int ih = oh * g.strideH() - g.padTop() + i * g.dilationH();
                            int dst = d + oh * outW;
                            if (ih < 0 || ih >= height) {
                                Arrays.fill(col, dst, dst + outW, 0f);
                            } else {
                                readRow(x, xBase + ih * width, iwOff, width, g.strideW(), col, dst, outW);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Whether each tap's part of the column matrix is the input plane shifted: stride 1 and as many output as input
     * columns (a "same" or 1x1 convolution), so that output and input rows are equally long.
     */
    private static boolean shiftedPlanes(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.outW() == g.width();
    }

    /**
     * One tap of one sample's plane when {@link #shiftedPlanes}: {@code col[dst + oh·W + ow] = x[xBase + (oh + ihOff)·W
     * + ow + iwOff]}, 0 where that lies in the padding. The rows inside the image are one copy of the plane shifted by
     * {@code ihOff·W + iwOff}; that copy carries, at either end of each row, |iwOff| values from the neighbouring row,
     * which are then set to 0 (the columns that read padding). Same values as the row-by-row copy.
     */
    private static void readShiftedPlane(ConvGeometry g, float[] x, int xBase, int ihOff, int iwOff, float[] col, int dst) {
        int width = g.width();
        int outH = g.outH();
        int lo = Math.clamp(-ihOff, 0, outH);
        int hi = Math.clamp(g.height() - ihOff, lo, outH);
        Arrays.fill(col, dst, dst + lo * width, 0f);
        Arrays.fill(col, dst + hi * width, dst + outH * width, 0f);
        if (hi == lo) return;
        if (Math.abs(iwOff) >= width) {
            Arrays.fill(col, dst + lo * width, dst + hi * width, 0f);
            return;
        }
        // Copy [start, end) of the shifted rows, leaving out the |iwOff| wrapped values at the very start or end
        // (they could lie outside the plane, even outside the array).
        int start = dst + lo * width + Math.max(-iwOff, 0);
        int end = dst + hi * width - Math.max(iwOff, 0);
        System.arraycopy(x, xBase + (lo + ihOff) * width + iwOff + (start - dst - lo * width), col, start, end - start);
        wrappedToZero(col, dst + lo * width, hi - lo, width, iwOff);
    }

    /**
     * Zeroes, in each of the {@code rows} rows of {@code width} values from {@code first}, the columns that a shift by
     * {@code iwOff} wrapped around: the first −iwOff or the last iwOff. One loop for the plane: a call per row cost
     * more than its one or two stores.
     */
    private static void wrappedToZero(float[] a, int first, int rows, int width, int iwOff) {
        int count = Math.abs(iwOff);
        if (count == 0) return;
        int start = first + (iwOff < 0 ? 0 : width - iwOff);
        for (int r = 0; r < rows; r++) {
            int row = start + r * width;
            for (int k = 0; k < count; k++) a[row + k] = 0f;
        }
    }

    /** {@code col[dst + ow] = x[xRow + ow·stride + iwOff]}, 0 where that column lies in the padding. */
    private static void readRow(float[] x, int xRow, int iwOff, int width, int stride, float[] col, int dst, int outW) {
        if (stride == 1) {
            int lo = Math.clamp(-iwOff, 0, outW);
            int hi = Math.clamp(width - iwOff, lo, outW);
            // The padding is a value or two at either end: plain loops, where Arrays.fill's setup cost more than its work.
            for (int ow = 0; ow < lo; ow++) col[dst + ow] = 0f;
            // A tap column wholly in the padding (hi == lo) may start past the array's end: copy nothing then.
            if (hi > lo) System.arraycopy(x, xRow + iwOff + lo, col, dst + lo, hi - lo);
            for (int ow = hi; ow < outW; ow++) col[dst + ow] = 0f;
            return;
        }
        for (int ow = 0; ow < outW; ow++) {
            int iw = ow * stride + iwOff;
            col[dst + ow] = iw >= 0 && iw < width ? x[xRow + iw] : 0f;
        }
    }

    @Override
    public final void col2im(ConvGeometry g, float[] col, int sampleFrom, int samples, float[] dx, int channelFrom,
                             int channelTo) {
        int height = g.height();
        int width = g.width();
        int outH = g.outH();
        int outW = g.outW();
        int plane = g.inPlane();
        int outPlane = outH * outW;
        int cols = samples * outPlane;
        boolean planes = shiftedPlanes(g);
        for (int c = channelFrom; c < channelTo; c++) {
            for (int s = 0; s < samples; s++) {
                int xBase = ((sampleFrom + s) * g.channels() + c) * plane;
                Arrays.fill(dx, xBase, xBase + plane, 0f);
                for (int i = 0; i < g.kernelH(); i++) {
                    for (int j = 0; j < g.kernelW(); j++) {
                        int src = ((c * g.kernelH() + i) * g.kernelW() + j) * cols + s * outPlane;
                        int iwOff = j * g.dilationW() - g.padLeft();
                        if (planes) {
                            addShiftedPlane(g, col, src, i * g.dilationH() - g.padTop(), iwOff, dx, xBase);
                            continue;
                        }
                        for (int oh = 0; oh < outH; oh++) {
                            int ih = oh * g.strideH() - g.padTop() + i * g.dilationH();
                            if (ih >= 0 && ih < height) {
                                addToRow(col, src + oh * outW, dx, xBase + ih * width, iwOff, width, g.strideW(), outW);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #readShiftedPlane}: the column entries that read padding are set to 0 in {@code col} (this
     * pass's own ∂col, not needed afterwards), then the rows inside the image are added to the plane as one shifted
     * run, in which those entries add +0. Each dx value takes the same additions in the same order as row by row.
     */
    private void addShiftedPlane(ConvGeometry g, float[] col, int src, int ihOff, int iwOff, float[] dx, int xBase) {
        int width = g.width();
        int outH = g.outH();
        int lo = Math.clamp(-ihOff, 0, outH);
        int hi = Math.clamp(g.height() - ihOff, lo, outH);
        if (hi == lo || Math.abs(iwOff) >= width) return;
        wrappedToZero(col, src + lo * width, hi - lo, width, iwOff);
        int start = src + lo * width + Math.max(-iwOff, 0);
        int end = src + hi * width - Math.max(iwOff, 0);
        addRow(col, start, dx, xBase + (lo + ihOff) * width + iwOff + (start - src - lo * width), end - start);
    }

    /** {@code dx[xRow + ow·stride + iwOff] += col[src + ow]} for the columns inside the image. */
    private void addToRow(float[] col, int src, float[] dx, int xRow, int iwOff, int width, int stride, int outW) {
        if (stride == 1) {
            int lo = Math.clamp(-iwOff, 0, outW);
            int hi = Math.clamp(width - iwOff, lo, outW);
            addRow(col, src + lo, dx, xRow + iwOff + lo, hi - lo);
            return;
        }
        for (int ow = 0; ow < outW; ow++) {
            int iw = ow * stride + iwOff;
            if (iw >= 0 && iw < width) dx[xRow + iw] += col[src + ow];
        }
    }

    @Override
    public final void channelsToSamples(float[] t, float[] bias, float[] y, int sampleFrom, int samples, int channels,
                                        int spatial, int channelFrom, int channelTo) {
        int cols = samples * spatial;
        for (int c = channelFrom; c < channelTo; c++) {
            for (int s = 0; s < samples; s++) {
                int src = c * cols + s * spatial;
                int dst = ((sampleFrom + s) * channels + c) * spatial;
                if (bias == null) {
                    System.arraycopy(t, src, y, dst, spatial);
                } else {
                    copyAddRow(t, src, y, dst, spatial, bias[c]);
                }
            }
        }
    }

    @Override
    public final void samplesToChannels(float[] dy, float[] t, float[] biasSums, int biasOff, int sampleFrom,
                                        int samples, int channels, int spatial, int channelFrom, int channelTo) {
        int cols = samples * spatial;
        for (int c = channelFrom; c < channelTo; c++) {
            float sum = 0f;
            for (int s = 0; s < samples; s++) {
                int src = ((sampleFrom + s) * channels + c) * spatial;
                System.arraycopy(dy, src, t, c * cols + s * spatial, spatial);
                if (biasSums != null) sum += sumRow(dy, src, spatial);
            }
            if (biasSums != null) biasSums[biasOff + c] = sum;
        }
    }

    // ---------------------------------------------------------------- depthwise

    @Override
    public final void depthwiseForward(ConvGeometry g, float[] x, float[] weight, float[] bias, float[] y, int batch,
                                       int channelFrom, int channelTo) {
        if (g.strideH() == 1 && g.strideW() == 1) {
            depthwiseForwardPadded(g, x, weight, bias, y, batch, channelFrom, channelTo);
            return;
        }
        int outH = g.outH();
        int outW = g.outW();
        int plane = g.inPlane();
        int outPlane = outH * outW;
        int taps = g.taps();
        for (int n = 0; n < batch; n++) {
            for (int c = channelFrom; c < channelTo; c++) {
                int xBase = (n * g.channels() + c) * plane;
                int yBase = (n * g.channels() + c) * outPlane;
                Arrays.fill(y, yBase, yBase + outPlane, bias == null ? 0f : bias[c]);
                for (int oh = 0; oh < outH; oh++) {
                    for (int i = 0; i < g.kernelH(); i++) {
                        int ih = oh * g.strideH() - g.padTop() + i * g.dilationH();
                        if (ih < 0 || ih >= g.height()) continue;
                        for (int j = 0; j < g.kernelW(); j++) {
                            fmaWindowRow(weight[c * taps + i * g.kernelW() + j], x, xBase + ih * g.width(),
                                    j * g.dilationW() - g.padLeft(), g.width(), g.strideW(), y, yBase + oh * outW, outW);
                        }
                    }
                }
            }
        }
    }

    /**
     * Stride 1: each plane is copied into a zero-padded plane ({@code hp × wp}), so that the output rows, computed
     * {@code wp} apart, are one run of {@code (outH − 1)·wp + outW} window sums (the {@code wp − outW} values
     * between two rows are computed and dropped). A tap in the padding adds {@code w·0}, which leaves every
     * finite sum as it was: the same values as skipping it.
     */
    private void depthwiseForwardPadded(ConvGeometry g, float[] x, float[] weight, float[] bias, float[] y, int batch,
                                        int channelFrom, int channelTo) {
        int height = g.height();
        int width = g.width();
        int outW = g.outW();
        int plane = g.inPlane();
        int outPlane = g.outPlane();
        int wp = paddedWidth(g);
        int size = paddedSize(g);
        int interior = g.padTop() * wp + g.padLeft();
        int run = (g.outH() - 1) * wp + outW;
        float[] s = scratch(size + run);
        Arrays.fill(s, 0, size, 0f); // the padding; the interior is overwritten plane by plane
        for (int n = 0; n < batch; n++) {
            for (int c = channelFrom; c < channelTo; c++) {
                int xBase = (n * g.channels() + c) * plane;
                int yBase = (n * g.channels() + c) * outPlane;
                for (int h = 0; h < height; h++) {
                    System.arraycopy(x, xBase + h * width, s, interior + h * wp, width);
                }
                windowSums(s, 0, g.dilationH() * wp, g.dilationW(), weight, c * g.taps(), g.kernelH(), g.kernelW(),
                        bias == null ? 0f : bias[c], s, size, run);
                for (int oh = 0; oh < g.outH(); oh++) {
                    System.arraycopy(s, size + oh * wp, y, yBase + oh * outW, outW);
                }
            }
        }
    }

    /** Row length of a plane with its padding. */
    private static int paddedWidth(ConvGeometry g) {
        return g.width() + g.padLeft() + g.padRight();
    }

    /** Values of a plane with its padding. */
    private static int paddedSize(ConvGeometry g) {
        return (g.height() + g.padTop() + g.padBottom()) * paddedWidth(g);
    }

    /** {@code y[yRow + ow] = fma(w, x[xRow + ow·stride + iwOff], y[yRow + ow])} for the columns inside the image. */
    private void fmaWindowRow(float w, float[] x, int xRow, int iwOff, int width, int stride, float[] y, int yRow, int outW) {
        if (stride == 1) {
            int lo = Math.clamp(-iwOff, 0, outW);
            int hi = Math.clamp(width - iwOff, lo, outW);
            fmaRow(w, x, xRow + iwOff + lo, y, yRow + lo, hi - lo);
            return;
        }
        for (int ow = 0; ow < outW; ow++) {
            int iw = ow * stride + iwOff;
            if (iw >= 0 && iw < width) y[yRow + ow] = Math.fma(w, x[xRow + iw], y[yRow + ow]);
        }
    }

    @Override
    public final void depthwiseBackward(ConvGeometry g, float[] x, float[] weight, float[] dy, float[] dx,
                                        float[] dWeight, float[] dBias, int batch, int channelFrom, int channelTo) {
        if (g.strideH() == 1 && g.strideW() == 1) {
            depthwiseBackwardPadded(g, x, weight, dy, dx, dWeight, dBias, batch, channelFrom, channelTo);
            return;
        }
        int outH = g.outH();
        int outW = g.outW();
        int plane = g.inPlane();
        int outPlane = outH * outW;
        int taps = g.taps();
        int width = g.width();
        for (int c = channelFrom; c < channelTo; c++) {
            float biasSum = 0f;
            for (int n = 0; n < batch; n++) {
                int xBase = (n * g.channels() + c) * plane;
                int yBase = (n * g.channels() + c) * outPlane;
                if (dBias != null) biasSum += sumRow(dy, yBase, outPlane);
                if (dx != null) Arrays.fill(dx, xBase, xBase + plane, 0f);
                for (int oh = 0; oh < outH; oh++) {
                    int dyRow = yBase + oh * outW;
                    for (int i = 0; i < g.kernelH(); i++) {
                        int ih = oh * g.strideH() - g.padTop() + i * g.dilationH();
                        if (ih < 0 || ih >= g.height()) continue;
                        int xRow = xBase + ih * width;
                        for (int j = 0; j < g.kernelW(); j++) {
                            int tap = c * taps + i * g.kernelW() + j;
                            int iwOff = j * g.dilationW() - g.padLeft();
                            dWeight[tap] += dotWindowRow(dy, dyRow, x, xRow, iwOff, width, g.strideW(), outW);
                            if (dx != null) {
                                scatterWindowRow(weight[tap], dy, dyRow, dx, xRow, iwOff, width, g.strideW(), outW);
                            }
                        }
                    }
                }
            }
            if (dBias != null) dBias[c] += biasSum;
        }
    }

    /**
     * Stride 1, on padded planes as in forward. With {@code dy'} the output gradient laid out {@code wp} apart
     * (zeros between the rows and after the last) and {@code off(i, j) = i·dh·wp + j·dw}:
     * <ul>
     *   <li>{@code ∂W[c, i, j] += Σ_q dy'[q]·xpad[q + off(i, j)]}, one dot product per tap over the whole run;</li>
     *   <li>{@code ∂xpad[r] = Σ_{i,j} w[c, i, j]·dy'[r − off(i, j)]}: the window sums of {@code dy'} (placed
     *       {@code off(kh − 1, kw − 1)} zeros into its buffer, so that every read is inside it) with the taps
     *       reversed, of which the image's part is kept.</li>
     * </ul>
     */
    private void depthwiseBackwardPadded(ConvGeometry g, float[] x, float[] weight, float[] dy, float[] dx,
                                         float[] dWeight, float[] dBias, int batch, int channelFrom, int channelTo) {
        int height = g.height();
        int width = g.width();
        int outH = g.outH();
        int outW = g.outW();
        int plane = g.inPlane();
        int outPlane = g.outPlane();
        int taps = g.taps();
        int wp = paddedWidth(g);
        int size = paddedSize(g);
        int interior = g.padTop() * wp + g.padLeft();
        int rowStep = g.dilationH() * wp;
        int reach = (g.kernelH() - 1) * rowStep + (g.kernelW() - 1) * g.dilationW(); // off(kh − 1, kw − 1)
        int run = (outH - 1) * wp + outW;
        int dxRun = (height - 1) * wp + width;
        int dyAt = size;                         // dy' buffer: reach zeros, then the rows, then zeros
        int dyData = dyAt + reach;
        int outAt = dyData + size;
        int flippedAt = outAt + dxRun;
        float[] s = scratch(flippedAt + taps);
        Arrays.fill(s, 0, outAt, 0f);
        for (int c = channelFrom; c < channelTo; c++) {
            float biasSum = 0f;
            for (int t = 0; t < taps; t++) s[flippedAt + t] = weight[c * taps + taps - 1 - t];
            for (int n = 0; n < batch; n++) {
                int xBase = (n * g.channels() + c) * plane;
                int yBase = (n * g.channels() + c) * outPlane;
                if (dBias != null) biasSum += sumRow(dy, yBase, outPlane);
                for (int h = 0; h < height; h++) {
                    System.arraycopy(x, xBase + h * width, s, interior + h * wp, width);
                }
                for (int oh = 0; oh < outH; oh++) {
                    System.arraycopy(dy, yBase + oh * outW, s, dyData + oh * wp, outW);
                }
                windowDots(s, dyData, s, 0, rowStep, g.dilationW(), g.kernelH(), g.kernelW(), dWeight, c * taps, run);
                if (dx != null) {
                    windowSums(s, dyAt + interior, rowStep, g.dilationW(), s, flippedAt, g.kernelH(), g.kernelW(),
                            0f, s, outAt, dxRun);
                    for (int h = 0; h < height; h++) {
                        System.arraycopy(s, outAt + h * wp, dx, xBase + h * width, width);
                    }
                }
            }
            if (dBias != null) dBias[c] += biasSum;
        }
    }

    /** {@code Σ dy[dyRow + ow]·x[xRow + ow·stride + iwOff]} over the columns inside the image. */
    private float dotWindowRow(float[] dy, int dyRow, float[] x, int xRow, int iwOff, int width, int stride, int outW) {
        if (stride == 1) {
            int lo = Math.clamp(-iwOff, 0, outW);
            int hi = Math.clamp(width - iwOff, lo, outW);
            return dotRow(dy, dyRow + lo, x, xRow + iwOff + lo, hi - lo);
        }
        float sum = 0f;
        for (int ow = 0; ow < outW; ow++) {
            int iw = ow * stride + iwOff;
            if (iw >= 0 && iw < width) sum = Math.fma(dy[dyRow + ow], x[xRow + iw], sum);
        }
        return sum;
    }

    /** {@code dx[xRow + ow·stride + iwOff] = fma(w, dy[dyRow + ow], dx[…])} for the columns inside the image. */
    private void scatterWindowRow(float w, float[] dy, int dyRow, float[] dx, int xRow, int iwOff, int width, int stride,
                                  int outW) {
        if (stride == 1) {
            int lo = Math.clamp(-iwOff, 0, outW);
            int hi = Math.clamp(width - iwOff, lo, outW);
            fmaRow(w, dy, dyRow + lo, dx, xRow + iwOff + lo, hi - lo);
            return;
        }
        for (int ow = 0; ow < outW; ow++) {
            int iw = ow * stride + iwOff;
            if (iw >= 0 && iw < width) dx[xRow + iw] = Math.fma(w, dy[dyRow + ow], dx[xRow + iw]);
        }
    }

    // ---------------------------------------------------------------- pooling

    @Override
    public final void maxPoolForward(ConvGeometry g, float[] x, float[] y, float[] argmax, int planeFrom, int planeTo) {
        int outH = g.outH();
        int outW = g.outW();
        int plane = g.inPlane();
        for (int p = planeFrom; p < planeTo; p++) {
            int xBase = p * plane;
            int out = p * outH * outW;
            for (int oh = 0; oh < outH; oh++) {
                int h0 = oh * g.strideH() - g.padTop();
                int hLo = Math.max(h0, 0);
                int hHi = Math.min(h0 + (g.kernelH() - 1) * g.dilationH() + 1, g.height());
                for (int ow = 0; ow < outW; ow++, out++) {
                    int w0 = ow * g.strideW() - g.padLeft();
                    int wLo = Math.max(w0, 0);
                    int wHi = Math.min(w0 + (g.kernelW() - 1) * g.dilationW() + 1, g.width());
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int ih = h0 + Math.ceilDiv(hLo - h0, g.dilationH()) * g.dilationH(); ih < hHi; ih += g.dilationH()) {
                        for (int iw = w0 + Math.ceilDiv(wLo - w0, g.dilationW()) * g.dilationW(); iw < wHi; iw += g.dilationW()) {
                            float v = x[xBase + ih * g.width() + iw];
                            // The first maximum wins; a NaN wins over numbers, as in PyTorch.
                            if (at < 0 || v > best || Float.isNaN(v)) {
                                best = v;
                                at = ih * g.width() + iw;
                            }
                        }
                    }
                    y[out] = best;
                    argmax[out] = at;
                }
            }
        }
    }

    @Override
    public final void maxPoolBackward(ConvGeometry g, float[] dy, float[] argmax, float[] dx, int planeFrom, int planeTo) {
        int outPlane = g.outPlane();
        int plane = g.inPlane();
        for (int p = planeFrom; p < planeTo; p++) {
            int xBase = p * plane;
            Arrays.fill(dx, xBase, xBase + plane, 0f);
            for (int o = p * outPlane; o < (p + 1) * outPlane; o++) {
                dx[xBase + (int) argmax[o]] += dy[o];
            }
        }
    }

    @Override
    public final void avgPoolForward(ConvGeometry g, float[] x, float[] y, int planeFrom, int planeTo) {
        int outH = g.outH();
        int outW = g.outW();
        int plane = g.inPlane();
        float divisor = g.taps();
        for (int p = planeFrom; p < planeTo; p++) {
            int xBase = p * plane;
            int out = p * outH * outW;
            for (int oh = 0; oh < outH; oh++) {
                int h0 = oh * g.strideH() - g.padTop();
                int hHi = Math.min(h0 + g.kernelH(), g.height());
                for (int ow = 0; ow < outW; ow++, out++) {
                    int w0 = ow * g.strideW() - g.padLeft();
                    int wHi = Math.min(w0 + g.kernelW(), g.width());
                    float sum = 0f;
                    for (int ih = Math.max(h0, 0); ih < hHi; ih++) {
                        for (int iw = Math.max(w0, 0); iw < wHi; iw++) sum += x[xBase + ih * g.width() + iw];
                    }
                    y[out] = sum / divisor;
                }
            }
        }
    }

    @Override
    public final void avgPoolBackward(ConvGeometry g, float[] dy, float[] dx, int planeFrom, int planeTo) {
        int outH = g.outH();
        int outW = g.outW();
        int plane = g.inPlane();
        float divisor = g.taps();
        for (int p = planeFrom; p < planeTo; p++) {
            int xBase = p * plane;
            Arrays.fill(dx, xBase, xBase + plane, 0f);
            int out = p * outH * outW;
            for (int oh = 0; oh < outH; oh++) {
                int h0 = oh * g.strideH() - g.padTop();
                int hHi = Math.min(h0 + g.kernelH(), g.height());
                for (int ow = 0; ow < outW; ow++, out++) {
                    int w0 = ow * g.strideW() - g.padLeft();
                    int wHi = Math.min(w0 + g.kernelW(), g.width());
                    float share = dy[out] / divisor;
                    for (int ih = Math.max(h0, 0); ih < hHi; ih++) {
                        for (int iw = Math.max(w0, 0); iw < wHi; iw++) dx[xBase + ih * g.width() + iw] += share;
                    }
                }
            }
        }
    }
}
