package dev.propel.train;

import dev.propel.data.Dataset;
import dev.propel.model.Model;
import dev.propel.spi.Parameter;

import java.util.List;

/**
 * Where a backpropagation step's gradients come from, when not from the trainer's own forward and
 * backward pass: e.g. data-parallel workers that each compute the gradient of their part of the batch
 * (the Spark integration). The {@link Trainer} keeps everything else of the step — the shuffle, the
 * learning-rate schedule, the NaN checks, clipping, the optimizer step, listeners and validation — so a
 * run with a gradient source differs from a local run only in how the gradient sum is rounded.
 */
public interface BatchGradients {

    /**
     * Prepares a run over {@code train} (the training examples after any validation split), for a model
     * with {@code model}'s graph. Called once by {@link Trainer#fit} before the first step; the trainer
     * closes the returned steps when the run ends, normally or not.
     */
    Steps open(Model model, Dataset train);

    /** The steps of one run. */
    interface Steps extends AutoCloseable {
        /**
         * Sets each parameter's gradient to ∂(mean loss over the batch)/∂parameter, at the parameters'
         * current values, for the batch of examples {@code order[start .. start + count)} of the training
         * data; returns the batch's mean loss and how many of its examples were classified correctly (0
         * for regression). Must not change the parameters' values; for a model with layer state, leaves the
         * model's state updated by the batch, as the training forward pass of a local step does.
         */
        Result compute(List<Parameter> parameters, int[] order, int start, int count);

        @Override
        void close();
    }

    /** One batch: its mean loss and the count of correct predictions. */
    record Result(float loss, long correct) {
    }
}
