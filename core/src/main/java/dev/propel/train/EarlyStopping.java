package dev.propel.train;

import dev.propel.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Stops training when the monitored validation metric has not improved by more than
 * {@code minDelta} for {@code patience} epochs, and optionally restores the best weights
 * (Keras' {@code EarlyStopping(restore_best_weights=True)}) together with the layers' state of that
 * epoch (e.g. running statistics), so the restored model predicts as it did then.
 */
public final class EarlyStopping implements TrainingListener {

    /** The metric watched. */
    public enum Monitor { VALIDATION_LOSS, VALIDATION_ACCURACY }

    private final Monitor monitor;
    private final int patience;
    private final float minDelta;
    private final boolean restoreBest;
    private float best;
    private int bestEpoch;
    private int waited;
    private Map<String, Tensor> bestWeights;
    private Map<String, Tensor> bestState;

    /**
     * Stops when {@code monitor} has not improved by more than {@code minDelta} for {@code patience} epochs; with
     * {@code restoreBest} the parameters of the best epoch are put back at the end. Throws {@link
     * IllegalArgumentException} for a negative patience.
     */
    public EarlyStopping(Monitor monitor, int patience, float minDelta, boolean restoreBest) {
        if (patience < 0) throw new IllegalArgumentException("early stopping patience must be >= 0, got " + patience);
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
    }

    @Override
    public void onTrainingStart(TrainingRun run) {
        best = Float.NaN;
        waited = 0;
        bestWeights = null;
        bestState = null;
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochMetrics m) {
        if (!m.hasValidation()) {
            throw new IllegalStateException("early stopping monitors " + monitor.name().toLowerCase(Locale.ROOT)
                    + " but training has no validation data; give a validation set or a validation split");
        }
        float value = monitor == Monitor.VALIDATION_LOSS ? -m.validationLoss() : m.validationAccuracy();
        if (Float.isNaN(best) || value > best + minDelta) {
            best = value;
            bestEpoch = m.epoch();
            waited = 0;
            if (restoreBest) {
                bestWeights = snapshot(run.model().parameters());
                bestState = snapshot(run.model().state());
            }
        } else if (++waited > patience) {
            run.requestStop("early stopping: no improvement of " + monitor.name().toLowerCase(Locale.ROOT)
                    + " for " + waited + " epochs (best at epoch " + bestEpoch + ")");
        }
    }

    @Override
    public void onTrainingEnd(TrainingRun run, TrainingHistory history) {
        if (restoreBest && bestWeights != null) {
            run.model().loadParameters(bestWeights);
            run.model().loadState(bestState);
        }
    }

    private static Map<String, Tensor> snapshot(Map<String, Tensor> tensors) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        tensors.forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }

    /** The epoch (from 1) with the best monitored value so far, 0 before the first epoch ended. */
    public int bestEpoch() {
        return bestEpoch;
    }
}
