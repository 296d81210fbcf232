package dev.propel.cli;

import dev.propel.model.Model;
import dev.propel.tensor.Tensor;
import dev.propel.train.BatchResult;
import dev.propel.train.TrainingRun;
import dev.propel.train.ff.BlockStep;
import dev.propel.train.ff.BlockStepListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Records the steps of a Forward-Forward run as the trainer takes them: each block's goodness,
 * p(positive) and local loss of both passes ({@link BlockStep}), then, after the updates, the stack's
 * parameters. Asks the run to stop after {@code steps} batches.
 */
final class FfTraceRecorder implements BlockStepListener {
    private final Model stack;
    private final int steps;
    private final Map<String, Tensor> initialParameters;
    private final List<Step> recorded = new ArrayList<>();
    private List<BlockStep> current = new ArrayList<>();

    /** One batch: its blocks' local steps and the parameters after their updates. */
    record Step(int number, int batchSize, float learningRate, float loss, List<BlockStep> blocks, Map<String, Tensor> parametersAfter) {
    }

    /** The recorded run. */
    record Trace(String optimizer, Map<String, Tensor> initialParameters, List<Step> steps) {
    }

    FfTraceRecorder(Model stack, int steps) {
        this.stack = stack;
        this.steps = steps;
        this.initialParameters = TraceRecorder.copies(stack.parameters());
    }

    @Override
    public void onBlockStep(TrainingRun run, BlockStep step) {
        current.add(step);
    }

    @Override
    public void onBatchEnd(TrainingRun run, BatchResult batch) {
        recorded.add(new Step(recorded.size() + 1, batch.size(), batch.learningRate(), batch.loss(), List.copyOf(current),
                TraceRecorder.copies(stack.parameters())));
        current = new ArrayList<>();
        if (recorded.size() >= steps) run.requestStop("traced " + steps + " step" + (steps == 1 ? "" : "s"));
    }

    Trace trace(String optimizer) {
        return new Trace(optimizer, initialParameters, List.copyOf(recorded));
    }
}
