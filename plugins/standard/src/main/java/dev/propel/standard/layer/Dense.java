package dev.propel.standard.layer;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeException;
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

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A fully connected layer (PyTorch's {@code nn.Linear}): {@code Y = X·Wᵀ + b}.
 *
 * <p>Input {@code X} is {@code [batch, fan_in]}, or, as PyTorch's {@code Linear}, any {@code [batch, ..., fan_in]}:
 * a per-sample input of rank ≥ 2 (e.g. a sequence {@code [T, F]}) is mapped over its last axis to
 * {@code [..., units]}, every leading position with the same weights, as one GEMM over all
 * {@code batch·…} rows (a per-step, "time-distributed" dense).
 * Parameters, stored like PyTorch so weights can be exchanged without transposing:
 * <ul>
 *   <li>{@code weight} — {@code [units, fan_in]}, row {@code j} holds the weights of output {@code j};</li>
 *   <li>{@code bias} — {@code [units]}, present when {@code use_bias} is true.</li>
 * </ul>
 * Attributes: {@code units} (int ≥ 1, required), {@code use_bias} (default true), {@code init}
 * (default {@code uniform_fan_in}, PyTorch's default; see {@link WeightInit} for all schemes;
 * {@code constant} takes {@code weight_value} and {@code bias_value}, both 0 by default),
 * {@code activation} (default {@code none}; {@code relu}, {@code sigmoid} or {@code tanh} apply that
 * function to the output, fused with the bias add: see {@link DenseActivation}).
 */
public final class Dense implements Layer {
    /** The type id: a fully connected layer, {@code y = f(x·Wᵀ + b)} with an optional fused activation {@code f}. */
    public static final String TYPE = "dense";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape inputShape;
    private final Shape outputShape;
    private final BatchShape outputs;
    private final int fanIn;
    private final int units;
    /** Rows of the GEMM per sample: the product of the per-sample input's leading axes (1 for a rank-1 input). */
    private final int rowsPerSample;
    private final Tensor weight;
    private final Tensor bias;
    private final DenseActivation activation;
    private final Map<String, Tensor> parameters;

    Dense(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.inputShape = setup.inputShape();
        if (inputShape.rank() < 1) {
            throw new ShapeException(describe + ": expected a per-sample input [..., features] but got "
                    + inputShape + "; give the model an input shape with at least one axis");
        }
        int last = inputShape.rank() - 1;
        this.fanIn = inputShape.dim(last);
        this.rowsPerSample = inputShape.size() / Math.max(fanIn, 1);
        this.units = attributes.getInt("units");
        int[] out = inputShape.dims();
        out[last] = units;
        this.outputShape = Shape.of(out);
        this.outputs = new BatchShape(outputShape);
        this.weight = Tensor.zeros(units, fanIn);
        this.bias = attributes.getBool("use_bias") ? Tensor.zeros(units) : null;
        this.activation = DenseActivation.fromId(attributes.getString("activation"));
        WeightInit init = WeightInit.fromId(attributes.getString("init"));
        float weightValue = attributes.getFloat("weight_value");
        float biasValue = attributes.getFloat("bias_value");
        if (init != WeightInit.CONSTANT && (weightValue != 0f || biasValue != 0f)) {
            throw new AttributeException(describe + ": weight_value " + weightValue + " and bias_value " + biasValue
                    + " only apply to \"init\": \"constant\", but init is " + init.id()
                    + "; set \"init\": \"constant\" or remove them");
        }
        init.initialize(weight, bias, fanIn, units, setup.random(), weightValue, biasValue);
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", weight);
        if (bias != null) p.put("bias", bias);
        this.parameters = Collections.unmodifiableMap(p);
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Set<LayerCapability> capabilities() {
        // Forward-Forward's blocks read [batch, in] rows; a dense over the last axis of a sequence is no such block.
        return inputShape.rank() == 1 ? Set.of(LayerCapability.AFFINE) : Set.of();
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
        return inputShape;
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    @Override
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    /**
     * {@code Y = f(X·Wᵀ + b)}: one GEMM with {@code transB}, then the bias and the activation f in one
     * pass over the output (f is the identity unless the {@code activation} attribute says otherwise).
     */
    @Override
    public Tensor forward(Tensor input, LayerContext ctx) {
        LayerInputs.requireBatchOf(describe, inputShape, input);
        Kernels k = ctx.kernels();
        int batch = input.rows();
        int rows = batch * rowsPerSample;
        Tensor y = ctx.buffer("output", outputs.withBatch(batch));
        k.gemm(false, true, rows, units, fanIn, 1f, input.data(), 0, fanIn, weight.data(), 0, fanIn,
                0f, y.data(), 0, units);
        activation.forward(k, y.data(), rows, units, bias == null ? null : bias.data());
        if (ctx.training()) {
            ctx.save("input", input);
            if (activation != DenseActivation.NONE) ctx.save("output", y);
        }
        return y;
    }

    /**
     * With {@code G = ∂L/∂z} ({@code [batch, units]}; ∂L/∂Y itself without an activation, else from
     * ∂L/∂Y and the output as {@link DenseActivation} says, in the same pass as the bias gradient):
     * <pre>
     *   ∂L/∂W += Gᵀ·X        ([units, fan_in], GEMM with transA and beta = 1)
     *   ∂L/∂b += Σ_rows G    ([units])
     *   ∂L/∂X  = G·W         ([batch, fan_in]; skipped when the input gradient is not needed)
     * </pre>
     */
    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        Tensor x = ctx.saved("input");
        int batch = x.rows();
        int rows = batch * rowsPerSample;
        Shape outShape = outputs.withBatch(batch);
        LayerInputs.requireGradientSize(describe, rows * units, gradOutput, outShape);
        Kernels k = ctx.kernels();
        float[] biasGradient = bias == null ? null : ctx.gradient("bias").data();
        float[] g = gradOutput.data();
        if (activation == DenseActivation.NONE) {
            if (biasGradient != null) k.sumRows(g, rows, units, biasGradient, true);
        } else {
            float[] dz = ctx.buffer("gradPreActivation", outShape).data();
            g = activation.backward(k, ctx.saved("output").data(), g, dz, rows, units, biasGradient);
        }
        k.gemm(true, false, units, fanIn, rows, 1f, g, 0, units, x.data(), 0, fanIn,
                1f, ctx.gradient("weight").data(), 0, fanIn);
        if (!ctx.needsInputGradient()) return null;
        Tensor dx = ctx.buffer("gradInput", x.shape());
        k.gemm(false, false, rows, fanIn, units, 1f, g, 0, units, weight.data(), 0, fanIn,
                0f, dx.data(), 0, fanIn);
        return dx;
    }

    @Override
    public String toString() {
        return describe + " " + inputShape + " -> " + outputShape;
    }

    /** Makes {@link Dense} layers. */
    public static final class Factory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .intAttr("units", null, 1, "number of outputs")
                .boolAttr("use_bias", true, "whether to add a learnable bias")
                .stringAttr("init", WeightInit.UNIFORM_FAN_IN.id(), WeightInit.ids(),
                        "initial weights: uniform_fan_in is PyTorch's default U(±1/√fan_in); constant uses weight_value and bias_value")
                .floatAttr("weight_value", 0f, null, false, null, false, "every initial weight, with init constant")
                .floatAttr("bias_value", 0f, null, false, null, false, "every initial bias, with init constant")
                .stringAttr("activation", DenseActivation.NONE.id(), DenseActivation.ids(),
                        "function applied to the output, fused with the bias add (none for a linear layer)")
                .build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "fully connected layer Y = f(X·Wᵀ + b) (weight [units, fan_in], like PyTorch's Linear; "
                    + "f = activation, none by default; a [..., fan_in] input is mapped over its last axis)";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new Dense(setup);
        }
    }
}
