package dev.propel.testkit.support;

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

import java.util.Arrays;
import java.util.Map;

/**
 * Layer {@code testkit_slice}: from a rank-1 per-sample input {@code [n]}, copies the values
 * {@code offset .. offset + size(shape) − 1} of each sample into an output of per-sample shape
 * {@code shape}. The save → load round trips use it to feed a layer that reads several inputs, each of
 * its own shape, from the model's one input. Backward: ∂L/∂x is ∂L/∂y in the slice and zero elsewhere.
 */
public final class SliceLayer implements Layer {
    /** The type id: copies a slice of each sample of a rank-1 input into an output of a given shape. */
    public static final String TYPE = "testkit_slice";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape inputShape;
    private final Shape outputShape;
    private final int offset;

    SliceLayer(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        setup.requireSingleInput(TYPE);
        this.inputShape = setup.inputShape();
        this.offset = attributes.getInt("offset");
        this.outputShape = Shape.of(attributes.getIntList("shape").stream().mapToInt(Integer::intValue).toArray());
        if (inputShape.rank() != 1 || offset + outputShape.size() > inputShape.dim(0)) {
            throw new ShapeException(describe + ": expected a rank-1 per-sample input of at least " + (offset + outputShape.size())
                    + " values (offset " + offset + " + shape " + outputShape + ") but got " + inputShape);
        }
    }

    @Override public String typeId() { return TYPE; }
    @Override public String name() { return name; }
    @Override public Attributes attributes() { return attributes; }
    @Override public Shape inputShape() { return inputShape; }
    @Override public Shape outputShape() { return outputShape; }

    @Override
    public Tensor forward(Tensor input, LayerContext ctx) {
        if (!input.shape().withoutBatch().equals(inputShape) || input.shape().rank() != 2) {
            throw new ShapeException(describe + ": expected input of shape [batch, " + inputShape.dim(0) + "] but got "
                    + input.shape());
        }
        int rows = input.rows();
        Tensor y = ctx.buffer("output", outputShape.withBatch(rows));
        ctx.kernels().copyRows(input.data(), offset, inputShape.dim(0), y.data(), 0, outputShape.size(), rows, outputShape.size());
        if (ctx.training()) ctx.save("output", y); // backward needs only its batch size
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        int rows = ctx.saved("output").rows();
        if (gradOutput.size() != rows * outputShape.size()) {
            throw new ShapeException(describe + ": backward expected an output gradient of shape " + outputShape.withBatch(rows)
                    + " but got " + gradOutput.shape());
        }
        if (!ctx.needsInputGradient()) return null;
        Tensor dx = ctx.buffer("gradInput", inputShape.withBatch(rows));
        ctx.kernels().fill(dx.data(), dx.size(), 0f);
        ctx.kernels().copyRows(gradOutput.data(), 0, outputShape.size(), dx.data(), offset, inputShape.dim(0), rows,
                outputShape.size());
        return dx;
    }

    /** Makes {@link SliceLayer}s. */
    public static final class Factory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .intAttr("offset", null, 0, "index of the first value taken from each sample")
                .add(new AttributeSpec("shape", AttributeType.INT_LIST, null, "per-sample shape of the output", null, true,
                        null, false, null))
                .build();

        @Override public String typeId() { return TYPE; }
        @Override public String description() { return "copies a slice of each sample into a new shape (testkit support type)"; }
        @Override public AttributeSchema schema() { return SCHEMA; }

        @Override
        public Layer create(LayerSetup setup) {
            return new SliceLayer(setup);
        }
    }

    /** The attributes of a slice of {@code shape} starting at {@code offset}. */
    public static Map<String, Object> attributes(int offset, int[] shape) {
        return Map.of("offset", offset, "shape", Arrays.stream(shape).boxed().toList());
    }
}
