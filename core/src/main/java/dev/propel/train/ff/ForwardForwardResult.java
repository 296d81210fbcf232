package dev.propel.train.ff;

import dev.propel.train.TrainingHistory;

/**
 * What {@link ForwardForwardTrainer#fit} produced: the trained network with its prediction rule, the
 * per-epoch metrics, and the bytes of activation scratch the training passes held at most (the
 * shared block buffers plus the trainer's own per-batch arrays).
 */
public record ForwardForwardResult(ForwardForwardModel model, TrainingHistory history, long activationBytes) {
}
