package dev.propel.standard.layer;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerCapability;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.List;
import java.util.Set;

/**
 * The activation family (PyTorch's {@code activation.py}): {@code sigmoid}, {@code tanh},
 * {@code relu}, {@code leaky_relu}, {@code gelu} and {@code softmax}. Each keeps its input shape and
 * has no parameters. Element-wise ones accept any per-sample shape; softmax works on the last axis.
 *
 * <p>In the formulas, {@code x} is the input, {@code y} the output and {@code dy = ∂L/∂y}.
 */
public final class Activations {
    private Activations() {
    }

    /** Computes y from x over {@code rows × cols} values; {@code cols} is the size of the last axis. */
    @FunctionalInterface
    interface Forward {
        void apply(Kernels k, float[] x, float[] y, int rows, int cols);
    }

    /** Computes dx from dy and what the forward pass saved (x or y, see {@link Function}). */
    @FunctionalInterface
    interface Backward {
        void apply(Kernels k, float[] saved, float[] dy, float[] dx, int rows, int cols);
    }

    /** One activation's math; {@code backwardUsesOutput} says whether backward needs y (else x). */
    record Function(Forward forward, Backward backward, boolean backwardUsesOutput) {
    }

    /** The layer every activation factory makes: shape-preserving, parameter-free. */
    static final class ActivationLayer implements Layer {
        private final String typeId;
        private final String name;
        private final String describe;
        private final Attributes attributes;
        private final Shape shape;
        private final Function function;

        ActivationLayer(String typeId, LayerSetup setup, Function function) {
            this.typeId = typeId;
            this.name = setup.name();
            this.describe = setup.describe(typeId);
            this.attributes = setup.attributes();
            this.shape = setup.inputShape();
            this.function = function;
            if (shape.rank() == 0) {
                throw new ShapeException(describe + ": expected a per-sample input with at least one axis but got "
                        + shape);
            }
        }

        @Override
        public String typeId() {
            return typeId;
        }

        /** Every activation but softmax (which mixes a row) is element-wise. */
        @Override
        public Set<LayerCapability> capabilities() {
            return typeId.equals(SoftmaxFactory.TYPE) ? Set.of() : Set.of(LayerCapability.ELEMENTWISE);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Attributes attributes() {
            return attributes;
        }

        @Override
        public Shape inputShape() {
            return shape;
        }

        @Override
        public Shape outputShape() {
            return shape;
        }

        @Override
        public Tensor forward(Tensor input, LayerContext ctx) {
            LayerInputs.requireBatchOf(describe, shape, input);
            Tensor y = ctx.buffer("output", input.shape());
            int cols = lastAxis();
            function.forward().apply(ctx.kernels(), input.data(), y.data(), input.size() / cols, cols);
            if (ctx.training()) ctx.save("saved", function.backwardUsesOutput() ? y : input);
            return y;
        }

        /** See the factory of each type for its formula. */
        @Override
        public Tensor backward(Tensor gradOutput, LayerContext ctx) {
            if (!ctx.needsInputGradient()) return null;
            Tensor saved = ctx.saved("saved");
            LayerInputs.requireGradientSize(describe, saved.size(), gradOutput, saved.shape());
            Tensor dx = ctx.buffer("gradInput", saved.shape());
            int cols = lastAxis();
            function.backward().apply(ctx.kernels(), saved.data(), gradOutput.data(), dx.data(),
                    saved.size() / cols, cols);
            return dx;
        }

        private int lastAxis() {
            return shape.dim(shape.rank() - 1);
        }

        @Override
        public String toString() {
            return describe + " " + shape;
        }
    }

    /** Common part of the activation factories. */
    abstract static class ActivationFactory implements LayerFactory {
        private final String typeId;
        private final String description;
        private final AttributeSchema schema;

        ActivationFactory(String typeId, String description, AttributeSchema schema) {
            this.typeId = typeId;
            this.description = description;
            this.schema = schema;
        }

        @Override
        public final String typeId() {
            return typeId;
        }

        @Override
        public final String description() {
            return description;
        }

        @Override
        public final AttributeSchema schema() {
            return schema;
        }

        @Override
        public final Layer create(LayerSetup setup) {
            return new ActivationLayer(typeId, setup, function(setup.attributes()));
        }

        abstract Function function(Attributes attributes);
    }

    /** {@code sigmoid}: {@code y = 1/(1 + e^−x)}; backward {@code dx = dy·y·(1 − y)}. */
    public static final class SigmoidFactory extends ActivationFactory {
        /** The factory of {@code sigmoid} (no attributes). */
        public SigmoidFactory() {
            super("sigmoid", "logistic sigmoid y = 1/(1 + e^-x)", AttributeSchema.empty());
        }

        @Override
        Function function(Attributes a) {
            return new Function((k, x, y, r, c) -> k.sigmoid(x, y, r * c),
                    (k, y, dy, dx, r, c) -> k.sigmoidBackward(y, dy, dx, r * c), true);
        }
    }

    /** {@code tanh}: {@code y = tanh(x)}; backward {@code dx = dy·(1 − y²)}. */
    public static final class TanhFactory extends ActivationFactory {
        /** The factory of {@code tanh} (no attributes). */
        public TanhFactory() {
            super("tanh", "hyperbolic tangent y = tanh(x)", AttributeSchema.empty());
        }

        @Override
        Function function(Attributes a) {
            return new Function((k, x, y, r, c) -> k.tanh(x, y, r * c),
                    (k, y, dy, dx, r, c) -> k.tanhBackward(y, dy, dx, r * c), true);
        }
    }

    /** {@code relu}: {@code y = max(x, 0)}; backward {@code dx = dy·[x > 0]}. */
    public static final class ReluFactory extends ActivationFactory {
        /** The factory of {@code relu} (no attributes). */
        public ReluFactory() {
            super("relu", "rectified linear unit y = max(x, 0)", AttributeSchema.empty());
        }

        @Override
        Function function(Attributes a) {
            return new Function((k, x, y, r, c) -> k.relu(x, y, r * c),
                    (k, x, dy, dx, r, c) -> k.reluBackward(x, dy, dx, r * c), false);
        }
    }

    /**
     * {@code leaky_relu}: {@code y = x > 0 ? x : α·x} with {@code α = negative_slope} (default 0.01,
     * as PyTorch); backward {@code dx = dy·(x > 0 ? 1 : α)}.
     */
    public static final class LeakyReluFactory extends ActivationFactory {
        /** The factory of {@code leaky_relu} (attribute: the negative slope). */
        public LeakyReluFactory() {
            super("leaky_relu", "leaky rectifier y = x > 0 ? x : negative_slope·x",
                    AttributeSchema.builder()
                            .nonNegativeFloat("negative_slope", 0.01f, "slope for negative inputs")
                            .build());
        }

        @Override
        Function function(Attributes a) {
            float alpha = a.getFloat("negative_slope");
            return new Function((k, x, y, r, c) -> k.leakyRelu(alpha, x, y, r * c),
                    (k, x, dy, dx, r, c) -> k.leakyReluBackward(alpha, x, dy, dx, r * c), false);
        }
    }

    /**
     * {@code gelu}: exact {@code y = x·Φ(x)} (attribute {@code approximate = "none"}, the default as in
     * PyTorch) or {@code y = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))} ({@code approximate = "tanh"});
     * backward exact {@code dx = dy·(Φ(x) + x·φ(x))}, or the derivative of the tanh form.
     */
    public static final class GeluFactory extends ActivationFactory {
        /** The factory of {@code gelu}. */
        public GeluFactory() {
            super("gelu", "Gaussian error linear unit y = x·Φ(x)",
                    AttributeSchema.builder()
                            .stringAttr("approximate", "none", List.of("none", "tanh"),
                                    "none for the exact erf form, tanh for the tanh approximation")
                            .build());
        }

        @Override
        Function function(Attributes a) {
            boolean tanh = a.getString("approximate").equals("tanh");
            return new Function((k, x, y, r, c) -> k.gelu(x, y, r * c, tanh),
                    (k, x, dy, dx, r, c) -> k.geluBackward(x, dy, dx, r * c, tanh), false);
        }
    }

    /**
     * {@code softmax} over the last axis: {@code y_c = e^(x_c) / Σ_j e^(x_j)} (computed stably);
     * backward {@code dx_c = y_c·(dy_c − Σ_j dy_j·y_j)}. For classification prefer a linear last
     * layer with the {@code cross_entropy} loss, which fuses softmax and is more accurate.
     */
    public static final class SoftmaxFactory extends ActivationFactory {
        static final String TYPE = "softmax";

        /** The factory of {@code softmax} over the last axis. */
        public SoftmaxFactory() {
            super(TYPE, "softmax over the last axis", AttributeSchema.empty());
        }

        @Override
        Function function(Attributes a) {
            return new Function((k, x, y, r, c) -> k.softmaxRows(x, y, r, c),
                    (k, y, dy, dx, r, c) -> k.softmaxBackwardRows(y, dy, dx, r, c), true);
        }
    }
}
