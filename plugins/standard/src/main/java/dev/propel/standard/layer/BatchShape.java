package dev.propel.standard.layer;

import dev.propel.tensor.Shape;

/**
 * {@code perSample.withBatch(batch)}, remembered for the last batch size so that a training step in
 * steady state allocates no {@link Shape}. Safe to share between threads: shapes are immutable and a
 * lost race only costs one allocation.
 */
final class BatchShape {
    private final Shape perSample;
    private volatile Shape last;

    BatchShape(Shape perSample) {
        this.perSample = perSample;
    }

    Shape withBatch(int batch) {
        Shape s = last;
        if (s == null || s.dim(0) != batch) {
            s = perSample.withBatch(batch);
            last = s;
        }
        return s;
    }
}
