package dev.propel.model;

import dev.propel.data.Dataset;
import dev.propel.spi.PropelException;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a saved model turns its outputs into predictions, so it predicts the same way after loading:
 * {@code argmax} (the class with the largest output), {@code identity} (the raw outputs, for
 * regression), or a rule a training algorithm defines with its own attributes (e.g. Forward-Forward's
 * goodness rule).
 */
public record PredictionRule(String type, Map<String, Object> attributes) {
    /** The type of the rule that predicts the class with the largest output. */
    public static final String ARGMAX = "argmax";
    /** The type of the rule that predicts the raw outputs (regression). */
    public static final String IDENTITY = "identity";
    /**
     * The attribute (a list of strings) naming the parameter tensors a rule owns besides the layers'
     * own, e.g. the softmax head of a Forward-Forward model ({@code ff_head.weight}, {@code ff_head.bias}).
     * They are saved among the model's parameters, and loading accepts exactly these extra names.
     */
    public static final String TENSORS = "tensors";

    /**
     * Checks the type and puts the attributes into their saved form; throws {@link PropelException} for an empty type.
     */
    public PredictionRule {
        Objects.requireNonNull(type, "type");
        if (type.isEmpty()) throw new PropelException("a prediction rule needs a type, e.g. 'argmax'");
        attributes = SavedAttributes.canonical("prediction rule '" + type + "'", attributes == null ? Map.of() : attributes);
    }

    /** The class with the largest output, for classifiers (the default). */
    public static PredictionRule argmax() {
        return new PredictionRule(ARGMAX, Map.of());
    }

    /** The raw outputs, for regression. */
    public static PredictionRule identity() {
        return new PredictionRule(IDENTITY, Map.of());
    }

    /** The names listed in the {@value #TENSORS} attribute (empty when there is none). */
    public List<String> tensorNames() {
        Object v = attributes.get(TENSORS);
        if (v == null) return List.of();
        if (!(v instanceof List<?> l) || l.stream().anyMatch(o -> !(o instanceof String))) {
            throw new PropelException("prediction rule '" + type + "': attribute '" + TENSORS
                    + "' must be a list of tensor names, got " + v);
        }
        return l.stream().map(String.class::cast).toList();
    }

    /** {@code argmax} for classification data, {@code identity} for regression data. */
    public static PredictionRule forDataset(Dataset data) {
        return data.isClassification() ? argmax() : identity();
    }
}
