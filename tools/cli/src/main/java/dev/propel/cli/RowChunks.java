package dev.propel.cli;

import dev.propel.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Runs a batch function over the rows of an input a chunk at a time and joins the results, so that
 * {@code compare} and {@code predict} hold the activations of one chunk, not of the whole test split:
 * a convolutional network keeps several MiB per image, 10,000 images would not fit in the heap.
 */
final class RowChunks {
    /** Rows per chunk: large enough that the kernels see full batches, small enough for any network here. */
    static final int ROWS = 256;

    private RowChunks() {
    }

    /** {@code f} applied to every chunk of {@code x}'s rows, the outputs stacked in row order. */
    static Tensor outputs(Tensor x, Function<Tensor, Tensor> f) {
        int n = x.rows();
        if (n <= ROWS) return f.apply(x);
        Tensor dense = x.contiguous();
        float[] joined = null;
        Tensor first = null;
        for (int start = 0; start < n; start += ROWS) {
            Tensor out = f.apply(rows(dense, start, Math.min(ROWS, n - start)));
            if (first == null) {
                first = out;
                joined = new float[n * out.rowSize()];
            } else if (out.rowSize() != first.rowSize()) {
                throw new IllegalStateException("chunk at row " + start + " gave rows of " + out.shape().withoutBatch()
                        + ", the first chunk " + first.shape().withoutBatch());
            }
            Tensor o = out.contiguous();
            System.arraycopy(o.data(), o.offset(), joined, start * o.rowSize(), o.size());
        }
        return Tensor.wrap(joined, first.shape().withoutBatch().withBatch(n));
    }

    /** {@code f} (one class per row) applied to every chunk of {@code x}'s rows, the classes in row order. */
    static int[] classes(Tensor x, Function<Tensor, int[]> f) {
        int n = x.rows();
        if (n <= ROWS) return f.apply(x);
        Tensor dense = x.contiguous();
        int[] joined = new int[n];
        for (int start = 0; start < n; start += ROWS) {
            int count = Math.min(ROWS, n - start);
            System.arraycopy(f.apply(rows(dense, start, count)), 0, joined, start, count);
        }
        return joined;
    }

    /** A copy of rows {@code from .. from + count - 1} of a dense tensor, with its own batch size. */
    static Tensor rows(Tensor dense, int from, int count) {
        int rs = dense.rowSize();
        int at = dense.offset() + from * rs;
        float[] d = Arrays.copyOfRange(dense.data(), at, at + count * rs);
        return Tensor.wrap(d, dense.shape().withoutBatch().withBatch(count));
    }
}
