package dev.propel.train.ff;

import dev.propel.train.TrainingListener;
import dev.propel.train.TrainingRun;

/**
 * A training listener that also sees each Forward-Forward block's local step — goodness, p(positive)
 * and local loss of the positive and negative pass — right after the block's loss is computed and
 * before its update ({@code propel trace --algorithm forward-forward} records them). The trainer
 * collects these figures only when such a listener is registered, so ordinary runs pay nothing.
 */
public interface BlockStepListener extends TrainingListener {
    /** Called after each block's update on each batch, with that block's goodness figures and loss. */
    void onBlockStep(TrainingRun run, BlockStep step);
}
