package dev.propel.format.onnx;

import dev.propel.tensor.Shape;

import java.util.List;
import java.util.Map;

/**
 * The window attributes the conv and pooling mappings share: reading Propel's (an integer or a pair
 * {@code [height, width]}) for export, and ONNX's ({@code kernel_shape}, {@code strides}, {@code pads},
 * {@code dilations}, {@code auto_pad}, {@code ceil_mode}) for import, with every value checked before a
 * shape is computed from it, so a hostile file gets a one-line refusal rather than a huge allocation.
 */
final class Windows {
    /** Largest per-sample output Propel accepts from an imported window: fewer than 2^31 values. */
    private static final long MAX_VALUES = Integer.MAX_VALUE;

    private Windows() {
    }

    /** Propel's attribute {@code name} as {height, width}: absent is {@code fallback} twice, an integer twice, or a pair. */
    static int[] pair(Map<String, Object> attributes, String name, int fallback) {
        Object v = attributes.get(name);
        if (v == null) return new int[] {fallback, fallback};
        if (v instanceof Number n) return new int[] {n.intValue(), n.intValue()};
        if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a && l.get(1) instanceof Number b) {
            return new int[] {a.intValue(), b.intValue()};
        }
        throw new dev.propel.spi.PropelException("attribute '" + name + "' is " + v + "; expected an integer or a pair [height, width]");
    }

    /** {height, width} as a Propel attribute value: one integer when both agree, else the pair. */
    static Object attribute(int h, int w) {
        return h == w ? (Object) h : List.of(h, w);
    }

    /** ONNX {@code pads} {top, left, bottom, right} from Propel's symmetric {height, width}. */
    static List<Long> pads(int[] hw) {
        return List.of((long) hw[0], (long) hw[1], (long) hw[0], (long) hw[1]);
    }

    static List<Long> longs(int[] hw) {
        return List.of((long) hw[0], (long) hw[1]);
    }

    /** The spatial window of an imported Conv, MaxPool or AveragePool: all sizes checked positive and plausible. */
    record Window(int[] kernel, int[] stride, int[] dilation, int[] pads) {
        /** Output height and width of a [C, H, W] input (floor mode). */
        int[] output(int h, int w) {
            return new int[] {out(h, 0), out(w, 1)};
        }

        private int out(int size, int axis) {
            long span = (long) dilation[axis] * (kernel[axis] - 1) + 1;
            long padded = (long) size + pads[axis] + pads[axis + 2];
            return padded < span ? 0 : (int) ((padded - span) / stride[axis] + 1);
        }

        boolean symmetric() {
            return pads[0] == pads[2] && pads[1] == pads[3];
        }
    }

    /**
     * Reads the window of {@code node} on a per-sample input {@code in} = [C, H, W], given the kernel size
     * (from the weight for Conv, {@code kernel_shape} for pooling). Resolves {@code auto_pad} into explicit
     * pads, refuses {@code ceil_mode = 1} when it would change the output size, and refuses sizes that are
     * not positive, a window larger than the padded input, and an output of 2^31 values or more.
     */
    static Window read(ImportGraph g, OnnxNode node, Shape in, int[] kernel, boolean dilations) {
        if (in.rank() != 3) {
            throw g.refuse(node, "works on a per-sample input of shape " + in + "; Propel imports 2-D windows on [channels, height, width]"
                    + " (NCHW) only");
        }
        for (int k : kernel) if (k < 1) throw g.refuse(node, "has the kernel size " + k + "; sizes must be at least 1");
        int[] stride = ints(g, node, "strides", 2, new int[] {1, 1}, 1);
        int[] dilation = ints(g, node, "dilations", 2, new int[] {1, 1}, 1);
        if (!dilations && (dilation[0] != 1 || dilation[1] != 1)) {
            throw g.refuse(node, "has dilations " + List.of(dilation[0], dilation[1]) + "; Propel's pooling takes dilation 1 only");
        }
        int[] pads = ints(g, node, "pads", 4, new int[4], 0);
        String autoPad = node.stringAttr("auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET" -> { }
            case "VALID" -> pads = new int[4];
            case "SAME_UPPER", "SAME_LOWER" -> pads = samePads(in, kernel, stride, dilation, autoPad.equals("SAME_UPPER"));
            default -> throw g.refuse(node, "has auto_pad = '" + autoPad + "'; expected NOTSET, VALID, SAME_UPPER or SAME_LOWER");
        }
        Window w = new Window(kernel, stride, dilation, pads);
        int[] out = w.output(in.dim(1), in.dim(2));
        if (out[0] < 1 || out[1] < 1) {
            throw g.refuse(node, "slides a " + kernel[0] + "x" + kernel[1] + " window over a " + in.dim(1) + "x" + in.dim(2)
                    + " input with pads " + List.of(pads[0], pads[1], pads[2], pads[3]) + "; the window does not fit");
        }
        if (node.intAttr("ceil_mode", 0) != 0) {
            Window ceil = new Window(kernel, stride, dilation, new int[] {pads[0], pads[1], pads[2] + stride[0] - 1, pads[3] + stride[1] - 1});
            int[] ceilOut = ceil.output(in.dim(1), in.dim(2));
            if (ceilOut[0] != out[0] || ceilOut[1] != out[1]) {
                throw g.refuse(node, "has ceil_mode = 1, which here gives a " + ceilOut[0] + "x" + ceilOut[1] + " output instead of "
                        + out[0] + "x" + out[1] + "; Propel rounds the output size down (ceil_mode = 0)");
            }
        }
        return w;
    }

    /** Checks that {@code channels} planes of {@code out} fit in fewer than 2^31 values. */
    static Shape outputShape(ImportGraph g, OnnxNode node, int channels, int[] out) {
        if ((long) channels * out[0] * out[1] > MAX_VALUES) {
            throw g.refuse(node, "would compute " + channels + "x" + out[0] + "x" + out[1] + " values per sample; Propel holds fewer than 2^31");
        }
        return Shape.of(channels, out[0], out[1]);
    }

    /** ONNX's SAME padding: the output is ceil(size / stride); the odd one goes to the end (UPPER) or the start (LOWER). */
    private static int[] samePads(Shape in, int[] kernel, int[] stride, int[] dilation, boolean upper) {
        int[] pads = new int[4];
        for (int a = 0; a < 2; a++) {
            long size = in.dim(a + 1);
            long out = (size + stride[a] - 1) / stride[a];
            long total = Math.max(0, (out - 1) * stride[a] + (long) dilation[a] * (kernel[a] - 1) + 1 - size);
            long small = total / 2;
            pads[a] = (int) (upper ? small : total - small);
            pads[a + 2] = (int) (total - pads[a]);
        }
        return pads;
    }

    /** The ints attribute {@code name} of exactly {@code count} values, each at least {@code min} and below 2^31. */
    static int[] ints(ImportGraph g, OnnxNode node, String name, int count, int[] fallback, int min) {
        List<Long> v = node.intsAttr(name);
        if (v == null) return fallback;
        if (v.size() != count) {
            throw g.refuse(node, "has " + name + " " + v + " of " + v.size() + " values; a 2-D window takes " + count);
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            long x = v.get(i);
            if (x < min || x > Integer.MAX_VALUE / 4) {
                throw g.refuse(node, "has " + name + " " + v + "; each must be at least " + min + (x < min ? "" : " and below 2^29"));
            }
            out[i] = (int) x;
        }
        return out;
    }
}
