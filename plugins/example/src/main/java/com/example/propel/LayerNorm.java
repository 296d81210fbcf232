package com.example.propel;

import dev.propel.kernel.BinaryOp;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.ReduceOp;
import dev.propel.kernel.UnaryOp;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layer normalization (Ba, Kiros and Hinton, 2016) over the last axis, as PyTorch's
 * {@code nn.LayerNorm(normalized_shape = last dim)}. Each row x of D values (every position of every
 * other axis is a row) is normalized with its own mean and biased variance:
 * <pre>
 *   μ = (1/D) Σ x          σ² = (1/D) Σ (x − μ)²          r = 1/√(σ² + ε)
 *   x̂ = (x − μ)·r          y = x̂·g + b                      (g, b: per feature, length D)
 *
 *   ∂L/∂g = Σ_rows dy·x̂    ∂L/∂b = Σ_rows dy
 *   ∂L/∂x = r·(g·dy − mean(g·dy) − x̂·mean(g·dy·x̂))          (means over the row's D values)
 * </pre>
 * The input gradient follows from ∂x̂_j/∂x_i = r·(δ_ij − 1/D − x̂_i·x̂_j/D). Attributes: {@code eps}
 * (ε > 0, default 1e-5 as PyTorch), {@code elementwise_affine} (default true; false: y = x̂ and no
 * parameters). Parameters {@code "weight"} (g, starts at 1) and {@code "bias"} (b, starts at 0),
 * shape [D].
 *
 * <p>Written only with kernel primitives: per-row statistics are reductions along the last axis
 * ({@code reduce} over {@code [rows, D, 1]}), applying them is broadcasting a column
 * ({@code broadcast} over {@code [1, rows, D]}), applying g and b is broadcasting a row
 * ({@code [rows, D, 1]}), and the parameter gradients are column sums ({@code reduce} over
 * {@code [1, rows, D]}). Thread safety: all per-pass values live in the {@link LayerContext}.
 */
public final class LayerNorm implements Layer {
    public static final String TYPE = "example_layer_norm";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape shape;
    private final int features;
    private final float eps;
    private final Tensor gain;
    private final Tensor bias;
    private final Map<String, Tensor> parameters;

    LayerNorm(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.shape = setup.inputShape();
        if (shape.rank() == 0 || shape.dim(shape.rank() - 1) == 0) {
            throw new ShapeException(describe + ": expected a per-sample input whose last axis has at least one value"
                    + " (the features to normalize) but got " + shape);
        }
        this.features = shape.dim(shape.rank() - 1);
        this.eps = attributes.getFloat("eps");
        if (attributes.getBool("elementwise_affine")) {
            this.gain = Tensor.zeros(features);
            this.bias = Tensor.zeros(features);
            Arrays.fill(gain.data(), 1f);
            Map<String, Tensor> p = new LinkedHashMap<>();
            p.put("weight", gain);
            p.put("bias", bias);
            this.parameters = Collections.unmodifiableMap(p);
        } else {
            this.gain = null;
            this.bias = null;
            this.parameters = Map.of();
        }
    }

    @Override
    public String typeId() {
        return TYPE;
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
        int rows = n / features;
        float[] x = input.data();
        Tensor normalized = ctx.buffer("normalized", input.shape());
        Tensor rstd = ctx.buffer("rstd", Shape.of(rows));
        Tensor mean = ctx.buffer("mean", Shape.of(rows));
        float[] xh = normalized.data();
        float[] r = rstd.data();
        float[] mu = mean.data();
        k.reduce(ReduceOp.SUM, x, 0, rows, features, 1, mu, 0, false);
        k.scale(1f / features, mu, mu, rows);                                  // μ per row
        k.broadcast(BinaryOp.SUB, x, 0, mu, 0, xh, 0, 1, rows, features);      // x − μ
        k.reduce(ReduceOp.SUM_SQUARES, xh, 0, rows, features, 1, r, 0, false);
        k.affine(1f / features, r, 0, eps, r, 0, rows);                       // σ² + ε
        k.unary(UnaryOp.RSQRT, r, 0, r, 0, rows);                              // r = 1/√(σ² + ε)
        k.broadcast(BinaryOp.MUL, xh, 0, r, 0, xh, 0, 1, rows, features);      // x̂
        Tensor y = ctx.buffer("output", input.shape());
        if (gain != null) {
            k.broadcast(BinaryOp.MUL, xh, 0, gain.data(), 0, y.data(), 0, rows, features, 1);       // x̂·g
            k.broadcast(BinaryOp.ADD, y.data(), 0, bias.data(), 0, y.data(), 0, rows, features, 1); //   + b
        } else {
            k.copy(xh, 0, y.data(), 0, n);
        }
        if (ctx.training()) {
            ctx.save("normalized", normalized);
            ctx.save("rstd", rstd);
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        Tensor normalized = ctx.saved("normalized");
        if (gradOutput.size() != normalized.size()) {
            throw new ShapeException(describe + ": backward expected an output gradient of shape " + normalized.shape()
                    + " (the last forward output) but got " + gradOutput.shape());
        }
        Kernels k = ctx.kernels();
        int n = normalized.size();
        int rows = n / features;
        float[] dy = gradOutput.data();
        float[] xh = normalized.data();
        Tensor scratch = ctx.buffer("scratch", normalized.shape());
        float[] u = scratch.data();
        if (gain != null) {
            k.binary(BinaryOp.MUL, dy, 0, xh, 0, u, 0, n);                                      // dy·x̂
            k.reduce(ReduceOp.SUM, u, 0, 1, rows, features, ctx.gradient("weight").data(), 0, true);
            k.reduce(ReduceOp.SUM, dy, 0, 1, rows, features, ctx.gradient("bias").data(), 0, true);
        }
        if (!ctx.needsInputGradient()) return null;
        float[] r = ctx.saved("rstd").data();
        Tensor dxTensor = ctx.buffer("gradInput", normalized.shape());
        float[] dx = dxTensor.data();
        float[] meanGdy = ctx.buffer("meanGdy", Shape.of(rows)).data();
        float[] meanGdyXh = ctx.buffer("meanGdyXh", Shape.of(rows)).data();
        if (gain != null) {
            k.broadcast(BinaryOp.MUL, dy, 0, gain.data(), 0, dx, 0, rows, features, 1);         // g·dy
        } else {
            k.copy(dy, 0, dx, 0, n);
        }
        k.reduce(ReduceOp.SUM, dx, 0, rows, features, 1, meanGdy, 0, false);
        k.scale(1f / features, meanGdy, meanGdy, rows);                                        // mean(g·dy)
        k.binary(BinaryOp.MUL, dx, 0, xh, 0, u, 0, n);
        k.reduce(ReduceOp.SUM, u, 0, rows, features, 1, meanGdyXh, 0, false);
        k.scale(1f / features, meanGdyXh, meanGdyXh, rows);                                    // mean(g·dy·x̂)
        k.broadcast(BinaryOp.SUB, dx, 0, meanGdy, 0, dx, 0, 1, rows, features);                // g·dy − mean(g·dy)
        k.broadcast(BinaryOp.MUL, xh, 0, meanGdyXh, 0, u, 0, 1, rows, features);
        k.binary(BinaryOp.SUB, dx, 0, u, 0, dx, 0, n);                                         //   − x̂·mean(g·dy·x̂)
        k.broadcast(BinaryOp.MUL, dx, 0, r, 0, dx, 0, 1, rows, features);                      //   · r
        return dxTensor;
    }

    @Override
    public String toString() {
        return describe + " " + shape;
    }

    /** Makes {@link LayerNorm} layers. */
    public static final class Factory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .positiveFloat("eps", 1e-5f, "added to the variance before the square root")
                .boolAttr("elementwise_affine", true, "whether a learnable gain (weight) and bias follow the normalization")
                .build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "layer normalization over the last axis, y = (x - mean)/sqrt(var + eps)·weight + bias";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new LayerNorm(setup);
        }
    }
}
