package dev.propel.standard.layer;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeException;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A lookup table of learned vectors (PyTorch's {@code nn.Embedding}): each input value is a token id
 * {@code i} in {@code [0, num_embeddings)} and becomes row {@code i} of {@code weight}
 * ({@code [num_embeddings, embedding_dim]}, initial values N(0, 1) as PyTorch). Input per sample: any
 * shape {@code [...]} of integer-valued floats (e.g. {@code [T]} tokens); output {@code [..., embedding_dim]}.
 *
 * <p>With {@code padding_idx} p ≥ 0 (−1, the default, means none) row p starts at zero and gets no
 * gradient, so padding tokens stay the zero vector, as in PyTorch. Forward is one {@code gatherRows},
 * backward one {@code scatterAddRows} into the weight's gradient. The input, being indices, gets a zero
 * gradient.
 */
public final class Embedding implements Layer {
    /** The layer type name in specs and model files. */
    public static final String TYPE = "embedding";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape inputShape;
    private final Shape outputShape;
    private final BatchShape outputs;
    private final int tokens;
    private final int dim;
    private final int paddingIdx;
    private final Tensor weight;
    private final Tensor zeroRow;
    private final PassObjects<Ids> idBuffers = new PassObjects<>(Ids::new);

    Embedding(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.inputShape = setup.inputShape();
        this.tokens = attributes.getInt("num_embeddings");
        this.dim = attributes.getInt("embedding_dim");
        this.paddingIdx = attributes.getInt("padding_idx");
        if (paddingIdx >= tokens) {
            throw new AttributeException(describe + ": padding_idx " + paddingIdx + " is outside the table's rows 0 .. "
                    + (tokens - 1) + "; use a token id below num_embeddings " + tokens + ", or -1 for no padding token");
        }
        int[] out = new int[inputShape.rank() + 1];
        for (int i = 0; i < inputShape.rank(); i++) out[i] = inputShape.dim(i);
        out[inputShape.rank()] = dim;
        this.outputShape = Shape.of(out);
        this.outputs = new BatchShape(outputShape);
        this.weight = Tensor.zeros(tokens, dim);
        normal(weight, setup.random());
        this.zeroRow = Tensor.zeros(dim);
        if (paddingIdx >= 0) Arrays.fill(weight.data(), paddingIdx * dim, (paddingIdx + 1) * dim, 0f); // as PyTorch
    }

    // Drawing random numbers is not arithmetic on tensors, so this loop lives here, not in Kernels.
    private static void normal(Tensor t, RandomGenerator random) {
        float[] x = t.data();
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
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
        return inputShape;
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    @Override
    public Map<String, Tensor> parameters() {
        return Map.of("weight", weight);
    }

    /** A pass's token ids as ints, kept between passes (see {@link PassObjects}) so that a step allocates none. */
    private static final class Ids {
        int[] values = new int[0];
    }

    /** The checked token ids of {@code input}, in {@code ids} (grown when a larger batch comes); the first n count. */
    private int[] indices(Tensor input, Ids ids) {
        int n = input.size();
        if (ids.values.length < n) ids.values = new int[n];
        TokenIndices.read(describe, "token id", input, n, inputShape.size(), 0, tokens - 1, ids.values);
        return ids.values;
    }

    @Override
    public Tensor forward(Tensor input, LayerContext ctx) {
        LayerInputs.requireBatchOf(describe, inputShape, input);
        Tensor x = input.isDense() ? input : input.contiguous();
        Tensor y = ctx.buffer("output", outputs.withBatch(x.rows()));
        Ids pass = idBuffers.acquire();
        try {
            ctx.kernels().gatherRows(weight.data(), dim, indices(x, pass), x.size(), y.data(), 0);
        } finally {
            idBuffers.release(pass);
        }
        if (ctx.training()) ctx.save("input", x);
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        Tensor x = ctx.saved("input");
        Shape outShape = outputs.withBatch(x.rows());
        LayerInputs.requireGradientSize(describe, outShape.size(), gradOutput, outShape);
        Tensor g = gradOutput.isDense() ? gradOutput : gradOutput.contiguous();
        Kernels k = ctx.kernels();
        float[] gw = ctx.gradient("weight").data();
        Ids pass = idBuffers.acquire();
        try {
            k.scatterAddRows(g.data(), g.offset(), dim, indices(x, pass), x.size(), gw);
        } finally {
            idBuffers.release(pass);
        }
        if (paddingIdx >= 0) k.copy(zeroRow.data(), 0, gw, paddingIdx * dim, dim);
        if (!ctx.needsInputGradient()) return null;
        Tensor dx = ctx.buffer("gradInput", x.shape());
        k.fill(dx.data(), dx.size(), 0f);
        return dx;
    }

    @Override
    public String toString() {
        return describe + " " + inputShape + " -> " + outputShape;
    }

    /** Makes {@link Embedding} layers. */
    public static final class Factory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .intAttr("num_embeddings", null, 1, "number of rows of the table: token ids are 0 .. num_embeddings - 1")
                .intAttr("embedding_dim", null, 1, "length of each token's vector")
                .intAttr("padding_idx", -1, -1, "a token id whose row stays zero and gets no gradient (-1: none)")
                .build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "lookup table of token vectors (PyTorch's nn.Embedding; weight [num_embeddings, embedding_dim]; "
                    + "input: integer-valued token ids [...], output [..., embedding_dim])";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            setup.requireSingleInput(TYPE);
            return new Embedding(setup);
        }
    }
}
