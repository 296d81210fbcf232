package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * {@code propel train --resume MODEL} for a model without a training record (imported from ONNX, or saved
 * weights only): not a run to continue but a new one that starts from its weights, with the loss and
 * optimizer of the command line or the defaults a PyTorch or Keras user expects: the file's loss
 * ({@code cross_entropy} for an ONNX import without Propel's metadata) and Adam with learning rate 0.001.
 */
final class FineTuning {
    static final String DEFAULT_OPTIMIZER = "adam";
    static final double DEFAULT_LEARNING_RATE = 0.001;

    /** The spec the new run trains (the file's, with the chosen loss and optimizer) and where it starts. */
    record Start(ModelSpec spec, TrainingJob.Resume from) {
    }

    private FineTuning() {
    }

    /**
     * Starts fine-tuning {@code loaded} with {@code optimizer} and {@code loss} (null: the defaults) at
     * {@code learningRate} (null: the default); says on {@code err} what it chose.
     */
    static Start start(Propel propel, LoadedModel loaded, String optimizer, String loss, Double learningRate, long seed, PrintStream err) {
        ModelSpec saved = loaded.saved().spec();
        String lossType = loss != null ? loss.trim().toLowerCase(Locale.ROOT) : saved.loss().type();
        ComponentSpec optimizerSpec = ComponentSpec.of(optimizer != null ? optimizer.trim().toLowerCase(Locale.ROOT) : DEFAULT_OPTIMIZER,
                Map.of("learning_rate", learningRate != null ? learningRate : DEFAULT_LEARNING_RATE));
        ModelSpec spec = new ModelSpec(saved.input(), saved.layers(), loss != null ? ComponentSpec.of(lossType) : saved.loss(),
                optimizerSpec, saved.outputs());
        Model model = loaded.model();
        if (loss != null && !lossType.equals(saved.loss().type())) {
            // The loss is part of the built model: build it again with the new one and the file's weights.
            model = TrainingJob.build(propel, spec, loaded.source().toString(), seed);
            model.loadParameters(loaded.model().parameters());
            model.loadState(loaded.model().state());
        }
        err.println("fine-tuning " + loaded.source() + ": it holds no training record, so this is a new run from its weights with loss "
                + lossType + (loss == null ? " (the file's; --loss to change)" : "") + " and optimizer " + optimizerSpec.type()
                + ", learning rate " + optimizerSpec.attributes().get("learning_rate")
                + (optimizer == null && learningRate == null ? " (the defaults; --optimizer, --learning-rate to change)" : ""));
        return new Start(spec, new TrainingJob.Resume(model, propel.optimizer(optimizerSpec.type(), optimizerSpec.attributes()), 0));
    }
}
