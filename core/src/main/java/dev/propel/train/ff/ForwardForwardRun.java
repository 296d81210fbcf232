package dev.propel.train.ff;

import dev.propel.train.TrainingRun;

/**
 * The {@link TrainingRun} a listener sees during Forward-Forward training: also the network being
 * trained, with its prediction rule, so a listener can evaluate it the way it will predict
 * ({@code run instanceof ForwardForwardRun ff ? ff.forwardForwardModel().evaluate(data) : ...}).
 */
public interface ForwardForwardRun extends TrainingRun {

    /** The network being trained (its weights change as training goes on). */
    ForwardForwardModel forwardForwardModel();
}
