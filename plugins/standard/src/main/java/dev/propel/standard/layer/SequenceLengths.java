package dev.propel.standard.layer;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

/**
 * The length of each padded sequence, for the optional second input of {@code rnn}, {@code lstm} and
 * {@code gru}. Input per sample {@code [T, ...]} (time first: token ids {@code [T]} or features
 * {@code [T, F]}), padded at the end with {@code padding_value}; output {@code [1]}: L = 1 + the last
 * step that holds any value other than {@code padding_value} (0 for a sequence of padding only). A real
 * step that is all padding value in the middle of a sequence counts; one at the end cannot be told from
 * padding, so choose a padding value the data never takes at every feature of a step (0 for token ids
 * when id 0 is the padding token).
 *
 * <p>The lengths are piecewise constant in the input, so the input's gradient is zero.
 */
public final class SequenceLengths implements Layer {
    /** The layer type name in specs and model files. */
    public static final String TYPE = "sequence_lengths";
    private static final Shape OUTPUT = Shape.of(1);

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final Shape inputShape;
    private final BatchShape outputs = new BatchShape(OUTPUT);
    private final int steps;
    private final int stepSize;
    private final float padding;

    SequenceLengths(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.inputShape = setup.inputShape();
        if (inputShape.rank() < 1 || inputShape.dim(0) < 1) {
            throw new ShapeException(describe + ": expected padded sequences [T, ...] with T ≥ 1 but got " + inputShape);
        }
        this.steps = inputShape.dim(0);
        this.stepSize = inputShape.size() / steps;
        this.padding = attributes.getFloat("padding_value");
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
        return OUTPUT;
    }

    @Override
    public Tensor forward(Tensor input, LayerContext ctx) {
        LayerInputs.requireBatchOf(describe, inputShape, input);
        Tensor x = input.isDense() ? input : input.contiguous();
        int batch = x.rows();
        Tensor y = ctx.buffer("output", outputs.withBatch(batch));
        // Finding the last step that is not padding compares values; it is no arithmetic for the kernels.
        float[] v = x.data(), out = y.data();
        int off = x.offset(), sample = steps * stepSize;
        for (int b = 0; b < batch; b++) {
            int last = -1;
            for (int i = sample - 1; i >= 0 && last < 0; i--) {
                if (v[off + b * sample + i] != padding) last = i / stepSize;
            }
            out[b] = last + 1;
        }
        if (ctx.training()) ctx.save("input", x);
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        Tensor x = ctx.saved("input");
        Shape outShape = outputs.withBatch(x.rows());
        LayerInputs.requireGradientSize(describe, outShape.size(), gradOutput, outShape);
        if (!ctx.needsInputGradient()) return null;
        Tensor dx = ctx.buffer("gradInput", x.shape());
        ctx.kernels().fill(dx.data(), dx.size(), 0f);
        return dx;
    }

    @Override
    public String toString() {
        return describe + " " + inputShape + " -> " + OUTPUT;
    }

    /** Makes {@link SequenceLengths} layers. */
    public static final class Factory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .floatAttr("padding_value", 0f, null, false, null, false, "the value the sequences are padded with at the end")
                .build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "length of each end-padded sequence [T, ...] -> [1], the lengths input of rnn, lstm and gru";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            setup.requireSingleInput(TYPE);
            return new SequenceLengths(setup);
        }
    }
}
