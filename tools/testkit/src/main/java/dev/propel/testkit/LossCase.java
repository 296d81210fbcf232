package dev.propel.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One configuration of a loss type for the {@link LossContract}: the type id, its attributes, the
 * shapes of the predictions to try (batch first), how predictions and targets are drawn, the
 * gradient-check tolerance, and the attributes the type must refuse.
 *
 * <pre>{@code
 * LossCase.of("huber", Map.of("delta", 0.5)).shape(3, 17).shape(1, 1);
 * }</pre>
 *
 * <p>At least one shape must have a last axis and a size that are not multiples of 8, so the
 * kernels' tail loops are part of the check.
 */
public final class LossCase extends ComponentCase<LossCase> {
    private final List<int[]> shapes = new ArrayList<>();
    private TensorSource predictions = TensorSource.normal();
    private TensorSource targets = TensorSource.normal();
    private double relative = 1e-2;
    private double absolute = 1e-3;
    private double epsilon = 1e-2;

    private LossCase(String typeId, Map<String, ?> attributes) {
        super(typeId, attributes);
    }

    @Override
    LossCase self() {
        return this;
    }

    /** A case for loss {@code typeId} with these attributes. */
    public static LossCase of(String typeId, Map<String, ?> attributes) {
        return new LossCase(typeId, attributes);
    }

    /** A case for loss {@code typeId} with its default attributes. */
    public static LossCase of(String typeId) {
        return new LossCase(typeId, Map.of());
    }

    /** Adds a shape of the predictions (and targets) to check, batch first, e.g. {@code shape(3, 17)}. */
    public LossCase shape(int... dims) {
        if (dims.length == 0) throw new IllegalArgumentException("a loss shape needs a batch dimension");
        shapes.add(dims.clone());
        return this;
    }

    /** How predictions are drawn (default N(0, 1)). */
    public LossCase predictions(TensorSource source) {
        this.predictions = source;
        return this;
    }

    /** How targets are drawn (default N(0, 1)); e.g. one-hot rows for a classification loss. */
    public LossCase targets(TensorSource source) {
        this.targets = source;
        return this;
    }

    /** Gradient-check tolerance (defaults 1e-2 relative, 1e-3 absolute); see {@link GradientCheck}. */
    public LossCase tolerance(double relative, double absolute) {
        this.relative = relative;
        this.absolute = absolute;
        return this;
    }

    /** The finite-difference step (default 1e-2). */
    public LossCase epsilon(double epsilon) {
        this.epsilon = epsilon;
        return this;
    }

    List<int[]> shapes() {
        if (shapes.isEmpty()) {
            throw new IllegalStateException(this + ": give at least one shape with shape(...)");
        }
        return shapes;
    }

    TensorSource predictions() {
        return predictions;
    }

    TensorSource targets() {
        return targets;
    }

    double relative() {
        return relative;
    }

    double absolute() {
        return absolute;
    }

    double epsilon() {
        return epsilon;
    }

    /** "huber {delta=0.5}, shapes [3, 17], [1, 1]". */
    @Override
    public String toString() {
        return describe("shapes", shapes);
    }
}
