package dev.propel.model;

import dev.propel.data.Dataset;

import java.util.Map;
import java.util.Objects;

/**
 * How a saved model turns its outputs into predictions, so it predicts the same way after loading:
 * {@code argmax} (the class with the largest output), {@code identity} (the raw outputs, for
 * regression), or a rule a training algorithm defines with its own attributes (e.g. Forward-Forward's
 * goodness rule).
 */
public record PredictionRule(String type, Map<String, Object> attributes) {
    public static final String ARGMAX = "argmax";
    public static final String IDENTITY = "identity";

    public PredictionRule {
        Objects.requireNonNull(type, "type");
        if (type.isEmpty()) throw new IllegalArgumentException("a prediction rule needs a type, e.g. 'argmax'");
        attributes = SavedAttributes.canonical("prediction rule '" + type + "'", attributes == null ? Map.of() : attributes);
    }

    public static PredictionRule argmax() {
        return new PredictionRule(ARGMAX, Map.of());
    }

    public static PredictionRule identity() {
        return new PredictionRule(IDENTITY, Map.of());
    }

    /** {@code argmax} for classification data, {@code identity} for regression data. */
    public static PredictionRule forDataset(Dataset data) {
        return data.isClassification() ? argmax() : identity();
    }
}
