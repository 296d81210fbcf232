package dev.propel.cli;

import dev.propel.data.Dataset;
import dev.propel.train.BatchResult;
import dev.propel.train.EpochMetrics;
import dev.propel.train.Evaluation;
import dev.propel.train.TrainingListener;
import dev.propel.train.TrainingRun;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * Prints a run's header when training starts, records each epoch's figures and training-only time,
 * and when the test split is not the validation data evaluates it after every epoch — the way the
 * trained model will predict ({@code evaluate}) — and prints a line for it. Shared by backprop
 * ({@link TrainingJob}) and Forward-Forward ({@link ForwardForwardJob}) runs.
 */
final class EpochRecorder implements TrainingListener {
    private final java.util.function.Function<TrainingRun, String> header;
    private final Dataset separateTest;
    private final BiFunction<TrainingRun, Dataset, Evaluation> evaluate;
    private final PrintStream err;
    private final List<TrainingJob.Epoch> epochs = new ArrayList<>();
    private long epochStart;
    private long lastBatchEnd;
    private long samples;

    EpochRecorder(String header, Dataset separateTest, BiFunction<TrainingRun, Dataset, Evaluation> evaluate, PrintStream err) {
        this(run -> header, separateTest, evaluate, err);
    }

    /** With a header made when training starts, from the run (e.g. to count parameters the trainer adds). */
    EpochRecorder(java.util.function.Function<TrainingRun, String> header, Dataset separateTest,
                  BiFunction<TrainingRun, Dataset, Evaluation> evaluate, PrintStream err) {
        this.header = header;
        this.separateTest = separateTest;
        this.evaluate = evaluate;
        this.err = err;
    }

    /** The epochs recorded so far. */
    List<TrainingJob.Epoch> epochs() {
        return List.copyOf(epochs);
    }

    /** The recorded epoch with the given number (the history's best epoch, for example). */
    TrainingJob.Epoch epoch(int number) {
        return epochs.stream().filter(e -> e.metrics().epoch() == number).findFirst().orElseThrow();
    }

    @Override
    public void onTrainingStart(TrainingRun run) {
        err.println(header.apply(run));
    }

    @Override
    public void onEpochStart(TrainingRun run, int epoch) {
        epochStart = System.nanoTime();
        lastBatchEnd = epochStart;
        samples = 0;
    }

    @Override
    public void onBatchEnd(TrainingRun run, BatchResult batch) {
        lastBatchEnd = System.nanoTime();
        samples += batch.size();
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochMetrics m) {
        float testLoss = m.validationLoss();
        float testAcc = m.validationAccuracy();
        if (separateTest != null) {
            Evaluation test = evaluate.apply(run, separateTest);
            testLoss = test.loss();
            testAcc = test.accuracy();
            err.println(String.format(Locale.ROOT, "epoch %d/%d: test loss %.4f%s", m.epoch(), run.totalEpochs(), testLoss,
                    Float.isNaN(testAcc) ? "" : String.format(Locale.ROOT, ", test acc %.4f", testAcc)));
        }
        epochs.add(new TrainingJob.Epoch(m, testLoss, testAcc, (lastBatchEnd - epochStart) / 1e9, samples));
    }
}
