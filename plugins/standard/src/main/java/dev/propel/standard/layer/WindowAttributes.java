package dev.propel.standard.layer;

import dev.propel.spi.AttributeException;
import dev.propel.spi.Attributes;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;

import java.util.List;

/**
 * Reads the window attributes of the 2-D convolution and pooling layers, each an integer (the same for
 * height and width) or a pair {@code [height, width]}, and checks the per-sample input is
 * {@code [channels, height, width]}.
 */
final class WindowAttributes {
    private WindowAttributes() {
    }

    /** The attribute {@code name} as {@code {height, width}}: an integer twice, or the two elements of a pair. */
    static int[] pair(String describe, Attributes attributes, String name) {
        Object v = attributes.asMap().get(name);
        if (v instanceof Integer i) return new int[] {i, i};
        if (v instanceof List<?> list && list.size() == 2) {
            return new int[] {(Integer) list.get(0), (Integer) list.get(1)};
        }
        throw new AttributeException(describe + ": attribute '" + name + "' must be an integer or a pair [height, width] but got "
                + v + "; e.g. \"" + name + "\": 3 or \"" + name + "\": [3, 5]");
    }

    /** The per-sample input as {@code {channels, height, width}}, or an error naming the layer and the shape. */
    static int[] chw(String describe, Shape input) {
        if (input.rank() != 3) {
            throw new ShapeException(describe + ": expected a per-sample input [channels, height, width] (rank 3) but got "
                    + input + " (rank " + input.rank() + "); give the model an input such as [1, 28, 28], or put a "
                    + "'reshape' layer with \"shape\": [channels, height, width] before this layer");
        }
        return new int[] {input.dim(0), input.dim(1), input.dim(2)};
    }

    /** Requires the window to fit: at least one output row and column, else an error naming the sizes and how to fix it. */
    static void requireFits(String describe, int outH, int outW, int[] chw, int[] kernel, int[] dilation, int[] padding) {
        if (outH >= 1 && outW >= 1) return;
        int spanH = dilation[0] * (kernel[0] - 1) + 1;
        int spanW = dilation[1] * (kernel[1] - 1) + 1;
        throw new ShapeException(describe + ": a " + kernel[0] + "x" + kernel[1] + " kernel"
                + (spanH != kernel[0] || spanW != kernel[1] ? " (spanning " + spanH + "x" + spanW + " with dilation)" : "")
                + " does not fit the " + chw[1] + "x" + chw[2] + " input (per-sample [" + chw[0] + ", " + chw[1] + ", " + chw[2]
                + "]) with padding [" + padding[0] + ", " + padding[1] + "]; use a smaller kernel, more padding"
                + " (\"padding\": \"same\" keeps the size) or a larger input");
    }
}
