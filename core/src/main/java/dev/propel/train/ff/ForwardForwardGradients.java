package dev.propel.train.ff;

import dev.propel.data.Dataset;
import dev.propel.spi.Parameter;

import java.util.List;

/**
 * Where a Forward-Forward step's layer-local gradients come from, when not from the trainer's own
 * passes: e.g. data-parallel workers that each run {@link LayerLocalGradients} on their part of the
 * batch (the Spark integration) — the Forward-Forward twin of {@link dev.propel.train.BatchGradients}.
 * The {@link ForwardForwardTrainer} keeps everything else of the step: the shuffle, the wrong labels'
 * random numbers (drawn on the trainer's generator, so they are those of a local run), the learning-rate
 * schedule, the NaN checks, clipping, the blocks' and the head's optimizer steps, listeners and
 * evaluation. A run with a gradient source differs from a local run only in how the gradient sums are rounded.
 */
public interface ForwardForwardGradients {

    /**
     * Prepares a run of {@code config} over {@code train} (after any validation split) for {@code model}.
     * Called once by {@link ForwardForwardTrainer#fit} before the first step; the trainer closes the
     * returned steps when the run ends, normally or not.
     */
    Steps open(ForwardForwardModel model, ForwardForwardConfig config, Dataset train);

    /** The steps of one run. */
    interface Steps extends AutoCloseable {
        /**
         * Sets the gradient of every parameter of {@code parameters} (in the order of
         * {@link LayerLocalGradients#parameters()}) that the batch trains — the head's, and blocks
         * {@code firstTrained..lastTrained} — to what {@link LayerLocalGradients#compute} gives for the whole
         * batch, at the parameters' current values; returns the batch's losses. Must not change the values.
         */
        Losses compute(List<Parameter> parameters, Batch batch);

        @Override
        void close();
    }

    /**
     * One mini-batch: the examples {@code order[start .. start + count)} of the training data, the trainer's
     * global step (1, 2, ...), the blocks it trains, and per example either its wrong label
     * ({@code negatives}, random negatives) or the uniform number in [0, 1) its wrong label is sampled with
     * ({@code draws}, hard negatives); the other array is null.
     */
    record Batch(int[] order, int start, int count, long step, int firstTrained, int lastTrained, int[] negatives, double[] draws) {
    }

    /** The losses of a batch (or of a part of it, divided by the whole batch's size): the head's (NaN without one) and each block's (NaN if not trained). */
    record Losses(float head, float[] blocks) {
    }
}
