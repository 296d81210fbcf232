package dev.propel.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One configuration of a layer type for the {@link LayerContract}: the type id, its attributes, the
 * per-sample input shapes to try, how to draw inputs, the gradient-check tolerance, and the
 * attributes and input shapes the type must refuse.
 *
 * <pre>{@code
 * LayerCase.of("swish", Map.of("beta", 1.5))
 *         .inputShape(17)
 *         .inputShape(2, 5)
 *         .rejects(new InvalidAttributes(Map.of("beta", "big"), "'beta'", "a number"));
 * }</pre>
 *
 * <p>At least one input shape must have a size and a last axis that are not multiples of 8, so the
 * kernels' tail loops (sizes that do not fill a whole vector) are part of the check.
 */
public final class LayerCase extends ComponentCase<LayerCase> {
    private final List<int[]> inputShapes = new ArrayList<>();
    private final List<int[]> rejectedInputShapes = new ArrayList<>();
    private TensorSource inputs = TensorSource.normal();
    private int[] batches = Testkit.DEFAULT_BATCHES.clone();
    private double relative = 1e-2;
    private double absolute = 1e-3;
    private double epsilon = 1e-2;

    private LayerCase(String typeId, Map<String, ?> attributes) {
        super(typeId, attributes);
    }

    @Override
    LayerCase self() {
        return this;
    }

    /** A case of layer type {@code typeId} with the given (unvalidated) attributes. */
    public static LayerCase of(String typeId, Map<String, ?> attributes) {
        return new LayerCase(typeId, attributes);
    }

    /** A case of layer type {@code typeId} with default attributes. */
    public static LayerCase of(String typeId) {
        return new LayerCase(typeId, Map.of());
    }

    /** Adds a per-sample input shape to check (without the batch dimension), e.g. {@code inputShape(17)}. */
    public LayerCase inputShape(int... dims) {
        inputShapes.add(dims.clone());
        return this;
    }

    /** How inputs are drawn (default N(0, 1)); layers with kinks should keep inputs away from them. */
    public LayerCase inputs(TensorSource source) {
        this.inputs = source;
        return this;
    }

    /** Batch sizes to run each input shape with (default 1 and 3). */
    public LayerCase batches(int... sizes) {
        if (sizes.length == 0) throw new IllegalArgumentException("give at least one batch size");
        this.batches = sizes.clone();
        return this;
    }

    /**
     * Gradient-check tolerance (defaults 1e-2 relative, 1e-3 absolute); see {@link GradientCheck}
     * for the formula.
     */
    public LayerCase tolerance(double relative, double absolute) {
        this.relative = relative;
        this.absolute = absolute;
        return this;
    }

    /** The finite-difference step (default 1e-2). */
    public LayerCase epsilon(double epsilon) {
        this.epsilon = epsilon;
        return this;
    }

    /** A per-sample input shape the factory must refuse with a {@link dev.propel.tensor.ShapeException}. */
    public LayerCase rejectsInputShape(int... dims) {
        rejectedInputShapes.add(dims.clone());
        return this;
    }

    List<int[]> inputShapes() {
        if (inputShapes.isEmpty()) {
            throw new IllegalStateException(this + ": give at least one input shape with inputShape(...)");
        }
        return inputShapes;
    }

    List<int[]> rejectedInputShapes() {
        return rejectedInputShapes;
    }

    TensorSource inputs() {
        return inputs;
    }

    int[] batches() {
        return batches;
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

    /** "swish {beta=1.5}, inputs [17], [2, 5]". */
    @Override
    public String toString() {
        return describe("inputs", inputShapes);
    }
}
