package dev.propel.cli;

import dev.propel.model.Model;
import dev.propel.tensor.Tensor;
import dev.propel.train.EpochMetrics;
import dev.propel.train.TrainingListener;
import dev.propel.train.TrainingRun;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code propel train --keep-last-good}: a copy of the weights after every completed epoch, so that
 * when the run diverges the last good epoch can be saved (next to {@code --out}, never over it).
 * Costs one copy of the parameters per epoch.
 */
final class LastGoodEpoch implements TrainingListener {
    private Model model;
    private Map<String, Tensor> weights;
    private int epoch;

    /** "model-last-good.pb" for "model.pb": where the last good epoch of a diverged run is saved. */
    static Path fileFor(Path out) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return out.resolveSibling(dot < 0 ? name + "-last-good" : name.substring(0, dot) + "-last-good" + name.substring(dot));
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochMetrics metrics) {
        model = run.model();
        Map<String, Tensor> copy = new LinkedHashMap<>();
        model.parameters().forEach((name, value) -> copy.put(name, value.copy()));
        weights = copy;
        epoch = metrics.epoch();
    }

    /** The epoch kept, or 0 when no epoch completed. */
    int epoch() {
        return epoch;
    }

    /** The model with the last good epoch's weights put back, or null when no epoch completed. */
    Model restored() {
        if (weights == null) return null;
        model.loadParameters(weights);
        return model;
    }
}
