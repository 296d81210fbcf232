package dev.propel.standard.layer;

import dev.propel.tensor.ShapeException;

import java.util.Locale;

/**
 * The memory a recurrent layer's BPTT needs, checked before any buffer exists: backpropagation through
 * time keeps every step's states and gates, so a long sequence can need more than the heap holds. The
 * check runs when the layer is built (per example) and when a batch size is first seen (per batch), so
 * a sequence too long for memory is a clear error before training starts, not an OutOfMemoryError in it.
 */
final class RecurrentMemory {
    private RecurrentMemory() {
    }

    /** Floats per example of the forward and backward buffers (sequences, gates, states, projections, gradients). */
    static long floatsPerExample(int steps, int features, int hidden, int layers, int directions, int gates) {
        long t = steps, width = (long) directions * hidden, gateRows = (long) gates * hidden;
        return layers * t * width * 2            // each layer's output sequence and its gradient
                + layers * directions * t * (gateRows + hidden) // the gates and cell states kept for BPTT
                + t * gateRows * 2                // the input projection and the pre-activation gradients
                + t * (features + width)          // the input gradient and the spread final-state gradient
                + layers * directions * t * (Math.max(features, width) + hidden + 1); // each direction's [x_t | h_prev | 1]
    }

    /**
     * The largest single buffer per example, in floats: a row of gates, of the output sequence, or of the weight-gradient
     * inputs {@code [x_t | h_prev | 1]}, whose x is the layer's input (F for the first layer, D·H above it).
     */
    private static long largestRow(int steps, int features, int hidden, int directions, int gates) {
        long width = (long) directions * hidden;
        return steps * Math.max(Math.max((long) gates * hidden, width), Math.max(features, width) + hidden + 1);
    }

    static void requireFits(String describe, int steps, int features, int hidden, int layers, int directions, int gates) {
        requireBatchFits(describe, 1, steps, features, hidden, layers, directions, gates);
    }

    static void requireBatchFits(String describe, int batch, int steps, int features, int hidden, int layers, int directions,
                                 int gates) {
        long perExample = floatsPerExample(steps, features, hidden, layers, directions, gates);
        long heap = Runtime.getRuntime().maxMemory();
        boolean tooLong = largestRow(steps, features, hidden, directions, gates) * batch > Integer.MAX_VALUE - 8;
        if (tooLong || perExample * Float.BYTES * batch > heap / 2) {
            String what = batch == 1 ? "one example" : "a batch of " + batch;
            throw new ShapeException(String.format(Locale.ROOT, "%s: backpropagation through %,d time steps keeps every step's "
                    + "states and gates, %,d MiB for %s (T = %d, hidden %d, %d layer(s), %d direction(s)), more than %s "
                    + "(max heap %,d MiB); shorten the sequences%s, or raise -Xmx", describe, steps,
                    perExample * Float.BYTES * batch >> 20, what, steps, hidden, layers, directions,
                    tooLong ? "a Java array holds" : "half the heap", heap >> 20, batch == 1 ? "" : ", lower the batch size"));
        }
    }
}
