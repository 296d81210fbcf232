package dev.propel.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration of an optimizer type for the {@link OptimizerContract}: the type id, its
 * attributes, how much it must reduce a convex objective in how many steps, and the attributes it
 * must refuse.
 *
 * <pre>{@code
 * OptimizerCase.of("qhm", Map.of("learning_rate", 0.05)).descent(100, 0.1);
 * }</pre>
 */
public final class OptimizerCase {
    private final String typeId;
    private final Map<String, Object> attributes;
    private final List<InvalidAttributes> invalid = new ArrayList<>();
    private int descentSteps = 200;
    private double descentRatio = 0.5;
    private long seed = 7;

    private OptimizerCase(String typeId, Map<String, ?> attributes) {
        this.typeId = typeId;
        this.attributes = new LinkedHashMap<>(attributes);
    }

    public static OptimizerCase of(String typeId, Map<String, ?> attributes) {
        return new OptimizerCase(typeId, attributes);
    }

    public static OptimizerCase of(String typeId) {
        return new OptimizerCase(typeId, Map.of());
    }

    /**
     * The descent contract: after {@code steps} steps at the configured learning rate the convex
     * objective must be at most {@code ratio} times its initial value (defaults 200 and 0.5).
     */
    public OptimizerCase descent(int steps, double ratio) {
        if (steps < 1 || !(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException("descent needs steps >= 1 and 0 < ratio < 1, got " + steps + " and " + ratio);
        }
        this.descentSteps = steps;
        this.descentRatio = ratio;
        return this;
    }

    /** The seed of the test problem (default 7). */
    public OptimizerCase seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Attributes the type must refuse, with fragments of the expected message. */
    public OptimizerCase rejects(InvalidAttributes invalidAttributes) {
        invalid.add(invalidAttributes);
        return this;
    }

    public String typeId() {
        return typeId;
    }

    public Map<String, Object> attributes() {
        return Map.copyOf(attributes);
    }

    Map<String, Object> orderedAttributes() {
        return attributes;
    }

    List<InvalidAttributes> invalid() {
        return invalid;
    }

    int descentSteps() {
        return descentSteps;
    }

    double descentRatio() {
        return descentRatio;
    }

    long seed() {
        return seed;
    }

    /** "qhm {learning_rate=0.05}". */
    @Override
    public String toString() {
        return typeId + " " + attributes;
    }
}
