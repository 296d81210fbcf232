package com.example.propel;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerCapability;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.spi.OperatorExport;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Swish (Ramachandran et al., 2017) with a learnable scalar β; with β = 1 it is SiLU:
 * <pre>
 *   y = x·σ(βx)                         σ(z) = 1 / (1 + e^−z)
 *   ∂L/∂x = dy·(s + β·x·s·(1 − s))      s = σ(βx)
 *   ∂L/∂β = Σ dy·x²·s·(1 − s)           (summed over the batch and every element)
 * </pre>
 * Element-wise, so any per-sample shape works and the output has the input's shape. Attributes:
 * {@code beta} (initial β, default 1), {@code learnable} (default true; when false β is a constant
 * and the layer has no parameters). The parameter is {@code "beta"}, shape [1].
 *
 * <p>Thread safety: the layer holds only its configuration and β; everything a pass needs (the
 * sigmoid values, scratch space) lives in the {@link LayerContext}.
 */
public final class Swish implements Layer {
    public static final String TYPE = "swish";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape shape;
    private final Tensor beta;
    private final boolean learnable;
    private final Map<String, Tensor> parameters;

    Swish(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.shape = setup.inputShape();
        if (shape.rank() == 0) {
            throw new ShapeException(describe + ": expected a per-sample input with at least one axis but got " + shape);
        }
        this.learnable = attributes.getBool("learnable");
        this.beta = Tensor.of(new float[] {attributes.getFloat("beta")}, 1);
        this.parameters = learnable ? Map.of("beta", beta) : Map.of();
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    /** Element-wise, so Forward-Forward can use swish as a block's activation like a built-in one. */
    @Override
    public Set<LayerCapability> capabilities() {
        return Set.of(LayerCapability.ELEMENTWISE);
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
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    @Override
    public Tensor forward(Tensor input, LayerContext ctx) {
        if (input.shape().rank() != shape.rank() + 1 || !input.shape().withoutBatch().equals(shape)) {
            throw new ShapeException(describe + ": expected input of shape [batch, " + shape.toString().substring(1)
                    + " but got " + input.shape());
        }
        Kernels k = ctx.kernels();
        int n = input.size();
        Tensor s = ctx.buffer("sigmoid", input.shape());
        Tensor y = ctx.buffer("output", input.shape());
        k.scale(beta.data()[0], input.data(), s.data(), n);  // s = βx
        k.sigmoid(s.data(), s.data(), n);                    // s = σ(βx)
        k.mul(input.data(), s.data(), y.data(), n);          // y = x·s
        if (ctx.training()) {
            ctx.save("input", input);
            ctx.save("sigmoid", s);
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        Tensor x = ctx.saved("input");
        Tensor s = ctx.saved("sigmoid");
        if (gradOutput.size() != x.size()) {
            throw new ShapeException(describe + ": backward expected an output gradient of shape " + x.shape()
                    + " (the last forward output) but got " + gradOutput.shape());
        }
        Kernels k = ctx.kernels();
        int n = x.size();
        Tensor u = ctx.buffer("scratch", x.shape());
        k.sigmoidBackward(s.data(), gradOutput.data(), u.data(), n);  // u = dy·s(1 − s)
        k.mul(x.data(), u.data(), u.data(), n);                       // u = x·dy·s(1 − s)
        if (learnable) {
            Tensor dBeta = ctx.gradient("beta");
            dBeta.data()[0] += k.dot(x.data(), u.data(), n);          // Σ x²·dy·s(1 − s)
        }
        if (!ctx.needsInputGradient()) return null;
        Tensor dx = ctx.buffer("gradInput", x.shape());
        k.mul(gradOutput.data(), s.data(), dx.data(), n);             // dy·s
        k.axpy(beta.data()[0], u.data(), dx.data(), n);               // + β·x·dy·s(1 − s)
        return dx;
    }

    @Override
    public String toString() {
        return describe + " " + shape;
    }

    /**
     * Makes {@link Swish} layers, and describes them as ONNX operators ({@link OperatorExport}) so a model
     * with swish layers exports to ONNX: {@code y = x · Sigmoid(x · beta)}.
     */
    public static final class Factory implements LayerFactory, OperatorExport {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .floatAttr("beta", 1f, null, false, null, false, "initial value of beta in y = x·sigmoid(beta·x)")
                .boolAttr("learnable", true, "whether beta is trained (false: a constant)")
                .build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "swish y = x·sigmoid(beta·x) with a learnable beta (SiLU when beta = 1)";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new Swish(setup);
        }

        @Override
        public Exported export(Request r) {
            String x = r.inputs().getFirst();
            String beta = r.prefix() + "beta";
            Tensor value = r.parameters().containsKey("beta") ? r.parameters().get("beta")
                    : Tensor.of(new float[] {((Number) r.attributes().get("beta")).floatValue()}, 1);
            return new Exported(List.of(
                    Node.of("Mul", List.of(x, beta), r.prefix() + "scaled"),
                    Node.of("Sigmoid", List.of(r.prefix() + "scaled"), r.prefix() + "gate"),
                    Node.of("Mul", List.of(x, r.prefix() + "gate"), r.output())),
                    Map.of(beta, value));
        }
    }
}
