package dev.propel.model;

import dev.propel.spi.PropelException;
import dev.propel.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An optimizer's saved state: its type id, its step count and its state tensors by name
 * ({@code "<parameter>/<slot>"}), as {@link dev.propel.spi.Optimizer#state()} gives them.
 * With it, training resumes bitwise as if never interrupted.
 */
public record OptimizerState(String type, long stepCount, Map<String, Tensor> tensors) {
    /** Checks the type and step count and copies the tensors. */
    public OptimizerState {
        Objects.requireNonNull(type, "type");
        if (stepCount < 0) throw new PropelException("optimizer step count must be >= 0, got " + stepCount);
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }
}
