package dev.propel.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * <p>A layer that reads several inputs (a {@link dev.propel.spi.MultiInputLayer} such as {@code add} or
 * {@code concat}) gets one per-sample shape per input for each configuration, with
 * {@link #inputShapes(int[]...)}; every contract then runs on all the inputs (a gradient check for each,
 * each input's gradient skipped on its own, …):
 *
 * <pre>{@code
 * LayerCase.of("concat", Map.of("axis", -1))
 *         .inputShapes(new int[] {3, 5}, new int[] {3, 2})
 *         .rejectsInputShapes(new int[] {3, 5}, new int[] {4, 2});
 * }</pre>
 *
 * <p>At least one input shape must have a size and a last axis that are not multiples of 8, so the
 * kernels' tail loops (sizes that do not fill a whole vector) are part of the check.
 */
public final class LayerCase extends ComponentCase<LayerCase> {
    private final List<InputShapes> inputSets = new ArrayList<>();
    private final List<InputShapes> rejectedInputSets = new ArrayList<>();
    private TensorSource inputs = TensorSource.normal();
    private int[] batches = Testkit.DEFAULT_BATCHES.clone();
    private double relative = 1e-2;
    private double absolute = 1e-3;
    private double epsilon = 1e-2;
    private Set<Integer> discreteInputs = Set.of();

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
        inputSets.add(InputShapes.single(dims));
        return this;
    }

    /**
     * Adds a configuration of a layer that reads several inputs: one per-sample shape per input, in
     * input order, e.g. {@code inputShapes(new int[] {17}, new int[] {17})} for a two-input {@code add}.
     */
    public LayerCase inputShapes(int[]... shapes) {
        return inputShapes(List.of(shapes));
    }

    /** As {@link #inputShapes(int[]...)}, from a list. */
    public LayerCase inputShapes(List<int[]> shapes) {
        inputSets.add(new InputShapes(shapes));
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
        rejectedInputSets.add(InputShapes.single(dims));
        return this;
    }

    /**
     * Per-sample shapes of several inputs (one per input) that the factory must refuse with a
     * {@link dev.propel.tensor.ShapeException} naming the layer and every distinct shape, e.g. the two
     * shapes of an {@code add} that do not match.
     */
    public LayerCase rejectsInputShapes(int[]... shapes) {
        rejectedInputSets.add(new InputShapes(List.of(shapes)));
        return this;
    }

    /**
     * Inputs that hold integer values (token ids, sequence lengths), by position: the gradient check does
     * not perturb them (a perturbed id is no id) but requires their gradient to be zero. The case's
     * {@link #inputs(TensorSource)} must draw valid values for them.
     */
    public LayerCase discreteInputs(int... positions) {
        Set<Integer> s = new java.util.TreeSet<>();
        for (int p : positions) s.add(p);
        this.discreteInputs = Set.copyOf(s);
        return this;
    }

    Set<Integer> discreteInputs() {
        return discreteInputs;
    }

    /** The configurations to check, each with one per-sample shape per input. */
    List<InputShapes> inputSets() {
        if (inputSets.isEmpty()) {
            throw new IllegalStateException(this + ": give at least one input shape with inputShape(...) or inputShapes(...)");
        }
        return inputSets;
    }

    List<InputShapes> rejectedInputSets() {
        return rejectedInputSets;
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

    /** "swish {beta=1.5}, inputs [17], [2, 5]"; "add {}, inputs ([17], [17])" for several inputs. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(describe("inputs", List.of()));
        for (int i = 0; i < inputSets.size(); i++) sb.append(i == 0 ? ", inputs " : ", ").append(inputSets.get(i));
        return sb.toString();
    }
}
