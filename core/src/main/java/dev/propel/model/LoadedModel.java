package dev.propel.model;

import dev.propel.Propel;
import dev.propel.spi.Optimizer;

import java.nio.file.Path;

/**
 * A model loaded from a file: the live {@link Model} with the file's parameter values, and everything
 * else the file held ({@link SavedModel}: graph, provenance, prediction rule, optimizer state).
 */
public record LoadedModel(Path source, Model model, SavedModel saved) {

    /** Whether the file holds optimizer state, so {@link #optimizer} resumes training exactly. */
    public boolean hasOptimizerState() {
        return saved.optimizerState() != null;
    }

    /**
     * The optimizer the file records, created with its attributes and, when the file holds optimizer
     * state, restored to it (moments and step count), ready to continue training this model.
     */
    public Optimizer optimizer(Propel propel) {
        ComponentSpec spec = saved.spec().optimizer();
        if (spec == null) {
            throw new ModelFormatException(source + ": the file records no optimizer; choose one to continue training");
        }
        Optimizer optimizer;
        try {
            optimizer = propel.optimizer(spec.type(), spec.attributes());
        } catch (dev.propel.spi.UnknownTypeException e) {
            throw new ModelFormatException(source + ": the optimizer has type '" + spec.type()
                    + "', which no installed plugin provides. " + ModelRestorer.recordedProvider(saved.producer(), spec.type())
                    + " Installed plugins: " + propel.installedSummary(), e);
        } catch (RuntimeException e) {
            throw new ModelFormatException(source + ": the optimizer '" + spec.type() + "' in the file cannot be created: "
                    + e.getMessage(), e);
        }
        OptimizerState state = saved.optimizerState();
        if (state != null) {
            if (!state.type().equals(spec.type())) {
                throw new ModelFormatException(source + ": the optimizer state was saved by a '" + state.type()
                        + "' optimizer but the file's optimizer is '" + spec.type() + "'");
            }
            try {
                optimizer.loadState(state.tensors(), state.stepCount());
            } catch (RuntimeException e) {
                throw new ModelFormatException(source + ": the optimizer state in the file does not fit optimizer '"
                        + spec.type() + "': " + e.getMessage(), e);
            }
        }
        return optimizer;
    }
}
