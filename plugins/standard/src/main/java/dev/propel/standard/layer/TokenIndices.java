package dev.propel.standard.layer;

import dev.propel.spi.PropelException;
import dev.propel.tensor.Tensor;

/**
 * Integer-valued floats read as indices (token ids of an {@code embedding}, lengths of a sequence):
 * tensors hold floats, so an index arrives as one and is checked here. Reading and checking values is
 * not arithmetic on tensors, so this loop lives outside the kernels.
 */
final class TokenIndices {
    private TokenIndices() {
    }

    /**
     * Writes the values of {@code x} (dense, {@code n} values from its offset) into {@code out} as ints
     * (only checks them when {@code out} is null); a value that is not an integer in {@code [min, max]}
     * is an error naming the layer, the example, the position in it, the value and the range.
     */
    static void read(String describe, String what, Tensor x, int n, int perSample, int min, int max, int[] out) {
        float[] v = x.data();
        int off = x.offset();
        for (int i = 0; i < n; i++) {
            float f = v[off + i];
            if (!(f >= min && f <= max) || f != Math.rint(f)) {
                throw new PropelException(describe + ": " + what + " " + f + " of example " + i / perSample
                        + (perSample > 1 ? " at position " + i % perSample : "") + " is not an integer in [" + min + ", "
                        + max + "]; " + (what.startsWith("token") ? "token ids must index the table (0 .. num_embeddings − 1)"
                        : "a length counts the sequence's real steps, 1 .. T (drop empty sequences from the data)"));
            }
            if (out != null) out[i] = (int) f;
        }
    }
}
