package dev.propel.testkit;

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
public final class OptimizerCase extends ComponentCase<OptimizerCase> {
    private int descentSteps = 200;
    private double descentRatio = 0.5;

    private OptimizerCase(String typeId, Map<String, ?> attributes) {
        super(typeId, attributes);
    }

    @Override
    OptimizerCase self() {
        return this;
    }

    /** A case for optimizer {@code typeId} with these attributes. */
    public static OptimizerCase of(String typeId, Map<String, ?> attributes) {
        return new OptimizerCase(typeId, attributes);
    }

    /** A case for optimizer {@code typeId} with its default attributes. */
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

    int descentSteps() {
        return descentSteps;
    }

    double descentRatio() {
        return descentRatio;
    }

    /** "qhm {learning_rate=0.05}". */
    @Override
    public String toString() {
        return describe("", List.of());
    }
}
