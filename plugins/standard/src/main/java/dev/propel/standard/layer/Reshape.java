package dev.propel.standard.layer;

import dev.propel.spi.AttributeException;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.AttributeSpec;
import dev.propel.spi.AttributeType;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.List;

/**
 * Gives each sample another shape with the same values in row-major order: {@code reshape} (attribute
 * {@code shape}, one entry may be −1 for "the rest", as {@code torch.reshape} / Keras {@code Reshape})
 * and {@code flatten} (PyTorch's {@code nn.Flatten()}: {@code [batch, c, h, w]} becomes
 * {@code [batch, c·h·w]}). The values are copied (a layer's output never aliases its input); backward
 * copies ∂L/∂y back with the input's shape.
 */
public final class Reshape implements Layer {
    /** The type id: the same values under another per-sample shape. */
    public static final String RESHAPE = "reshape";
    /** The type id: the per-sample values as one flat vector. */
    public static final String FLATTEN = "flatten";

    private final String typeId;
    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape inputShape;
    private final Shape outputShape;
    private final BatchShape outputBatch;
    private final BatchShape inputBatch;

    private Reshape(LayerSetup setup, String typeId, Shape outputShape) {
        this.typeId = typeId;
        this.name = setup.name();
        this.describe = setup.describe(typeId);
        this.attributes = setup.attributes();
        this.inputShape = setup.inputShape();
        this.outputShape = outputShape;
        this.outputBatch = new BatchShape(outputShape);
        this.inputBatch = new BatchShape(inputShape);
    }

    /** The target shape with its −1 resolved, or a clear error when the sizes cannot agree. */
    static Shape target(String describe, Shape input, List<Integer> dims) {
        int[] out = new int[dims.size()];
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            out[i] = dims.get(i);
            if (out[i] == -1 && unknown < 0) {
                unknown = i;
            } else if (out[i] < 1) {
                throw new AttributeException(describe + ": attribute 'shape' is " + dims
                        + "; it may hold one -1 (for the rest) and otherwise only sizes >= 1, e.g. [1, 28, 28] or [-1, 4]");
            } else {
                known *= out[i];
            }
        }
        if (unknown >= 0 && input.size() % known == 0) {
            out[unknown] = (int) (input.size() / known);
            known *= out[unknown];
        }
        if (out.length == 0 || known != input.size()) {
            throw new ShapeException(describe + ": cannot reshape a per-sample input " + input + " (" + input.size()
                    + " values) to " + dims + "; the sizes must multiply to " + input.size());
        }
        return Shape.of(out);
    }

    @Override
    public String typeId() {
        return typeId;
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
    public Tensor forward(Tensor input, LayerContext ctx) {
        LayerInputs.requireBatchOf(describe, inputShape, input);
        Tensor y = ctx.buffer("output", outputBatch.withBatch(input.rows()));
        ctx.kernels().copy(input.data(), 0, y.data(), 0, input.size());
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        if (!ctx.needsInputGradient()) return null;
        int batch = gradOutput.rows();
        LayerInputs.requireGradientSize(describe, batch * outputShape.size(), gradOutput, outputBatch.withBatch(batch));
        Tensor dx = ctx.buffer("gradInput", inputBatch.withBatch(batch));
        ctx.kernels().copy(gradOutput.data(), 0, dx.data(), 0, dx.size());
        return dx;
    }

    @Override
    public String toString() {
        return describe + " " + inputShape + " -> " + outputShape;
    }

    /** Makes {@code flatten} layers. */
    public static final class FlattenFactory implements LayerFactory {
        @Override
        public String typeId() {
            return FLATTEN;
        }

        @Override
        public String description() {
            return "flattens each sample to one axis in row-major order (nn.Flatten)";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.empty();
        }

        @Override
        public Layer create(LayerSetup setup) {
            setup.requireSingleInput(FLATTEN);
            return new Reshape(setup, FLATTEN, Shape.of(setup.inputShape().size()));
        }
    }

    /** Makes {@code reshape} layers. */
    public static final class ReshapeFactory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .add(new AttributeSpec("shape", AttributeType.INT_LIST, null,
                        "per-sample output shape, e.g. [1, 28, 28]; one entry may be -1 for the rest", null, true, null, false, null))
                .build();

        @Override
        public String typeId() {
            return RESHAPE;
        }

        @Override
        public String description() {
            return "gives each sample another shape with the same values in row-major order";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            setup.requireSingleInput(RESHAPE);
            return new Reshape(setup, RESHAPE, target(setup.describe(RESHAPE), setup.inputShape(),
                    setup.attributes().getIntList("shape")));
        }
    }
}
