package dev.propel.standard.layer;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.spi.MultiInputLayer;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Joins two or more inputs along one axis, as {@code torch.cat(dim=axis)}: the axis counts the batch as
 * axis 0, so {@code axis: 1} is the first per-sample axis (the channels of NCHW data, the features of
 * {@code [batch, features]}), and a negative axis counts from the end (default −1, Keras'
 * {@code Concatenate}). Every other axis must agree.
 *
 * <p>With {@code outer} = the product of the axes before {@code axis} (batch included) and
 * {@code inner} = the product of those after it, input {@code i} is {@code outer} rows of
 * {@code d_i·inner} values, and the output row is the inputs' rows side by side. Backward copies each
 * input's slice of ∂L/∂y back out.
 */
public final class Concat implements MultiInputLayer {
    /** The type id: inputs joined along one axis. */
    public static final String TYPE = "concat";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final List<Shape> inputShapes;
    private final Shape outputShape;
    /** The per-sample axis joined (the attribute minus one). */
    private final int axis;
    /** Per input, the values of one row (d_i · inner). */
    private final int[] chunks;
    private final int outputChunk;
    private final BatchShape[] inputBatchShapes;
    /** The buffer name of each input's gradient. */
    private final String[] gradientNames;
    /** The last list {@link #backwardInputs} returned, kept so a session's next step need not allocate one. */
    private volatile List<Tensor> lastGradients;

    Concat(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.inputShapes = setup.inputShapes();
        Shape first = inputShapes.getFirst();
        int rank = first.rank() + 1;
        int given = attributes.getInt("axis");
        int withBatch = given < 0 ? given + rank : given;
        if (withBatch < 1 || withBatch >= rank) {
            throw new ShapeException(describe + ": axis " + given + " is out of range for inputs of per-sample shape " + first
                    + " (with the batch, rank " + rank + "); use 1.." + (rank - 1) + " or -1..-" + (rank - 1)
                    + " (axis 0, the batch, cannot be joined)");
        }
        this.axis = withBatch - 1;
        if (inputShapes.size() < 2) {
            throw new ShapeException(describe + " joins two or more inputs but reads only " + setup.inputNames()
                    + "; name its inputs, e.g. \"inputs\": [\"dense_1\", \"dense_2\"]");
        }
        int[] out = first.dims();
        out[axis] = 0;
        for (int i = 0; i < inputShapes.size(); i++) {
            Shape s = inputShapes.get(i);
            boolean ok = s.rank() == first.rank();
            for (int d = 0; ok && d < s.rank(); d++) ok = d == axis || s.dim(d) == first.dim(d);
            if (!ok) {
                throw new ShapeException(describe + ": input '" + setup.inputNames().getFirst() + "' has shape " + first
                        + " but input '" + setup.inputNames().get(i) + "' has shape " + s + "; concat along axis " + given
                        + " needs the same rank and equal sizes on every other axis");
            }
            out[axis] += s.dim(axis);
        }
        this.outputShape = Shape.of(out);
        int inner = 1;
        for (int d = axis + 1; d < first.rank(); d++) inner *= first.dim(d);
        this.chunks = new int[inputShapes.size()];
        this.inputBatchShapes = new BatchShape[inputShapes.size()];
        this.gradientNames = new String[inputShapes.size()];
        int total = 0;
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = inputShapes.get(i).dim(axis) * inner;
            total += chunks[i];
            inputBatchShapes[i] = new BatchShape(inputShapes.get(i));
            gradientNames[i] = "gradInput" + i;
        }
        this.outputChunk = total;
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
    public List<Shape> inputShapes() {
        return inputShapes;
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    private int outer(Tensor x) {
        return x.size() / chunks[0];
    }

    @Override
    public Tensor forward(List<Tensor> inputs, LayerContext ctx) {
        for (int i = 0; i < inputs.size(); i++) LayerInputs.requireBatchOf(describe, inputShapes.get(i), inputs.get(i));
        int batch = inputs.getFirst().rows();
        Tensor y = ctx.buffer("output", outputShape.withBatch(batch));
        int outer = outer(inputs.getFirst());
        Kernels k = ctx.kernels();
        int offset = 0;
        for (int i = 0; i < inputs.size(); i++) {
            k.copyRows(inputs.get(i).data(), 0, chunks[i], y.data(), offset, outputChunk, outer, chunks[i]);
            offset += chunks[i];
        }
        if (ctx.training()) ctx.save("output", y); // for backward's sizes
        return y;
    }

    @Override
    public List<Tensor> backwardInputs(Tensor gradOutput, LayerContext ctx) {
        Tensor y = ctx.saved("output");
        LayerInputs.requireGradientSize(describe, y.size(), gradOutput, y.shape());
        int outer = y.size() / outputChunk;
        List<Tensor> last = lastGradients;
        boolean same = last != null;
        int offset = 0;
        for (int i = 0; i < chunks.length; i++) {
            Tensor g = gradientBuffer(ctx, i, y.rows());
            if (g != null) ctx.kernels().copyRows(gradOutput.data(), offset, outputChunk, g.data(), 0, chunks[i], outer, chunks[i]);
            same = same && last.get(i) == g;
            offset += chunks[i];
        }
        if (same) return last;
        // A new session, batch size or set of needed gradients: the list of this pass's buffers, kept for the next.
        Tensor[] grads = new Tensor[chunks.length];
        for (int i = 0; i < chunks.length; i++) grads[i] = gradientBuffer(ctx, i, y.rows());
        List<Tensor> made = Collections.unmodifiableList(Arrays.asList(grads));
        lastGradients = made;
        return made;
    }

    /** Input {@code i}'s gradient buffer for this batch (the same tensor at every step of a session), or null when not needed. */
    private Tensor gradientBuffer(LayerContext ctx, int i, int batch) {
        return ctx.needsInputGradient(i) ? ctx.buffer(gradientNames[i], inputBatchShapes[i].withBatch(batch)) : null;
    }

    @Override
    public String toString() {
        return describe + " along per-sample axis " + axis + " -> " + outputShape;
    }

    /** Makes {@link Concat} layers. */
    public static final class Factory implements LayerFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .intAttr("axis", -1, null, "axis to join along, counting the batch as 0 (1 = first per-sample axis); negative counts from the end")
                .build();

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "joins two or more inputs along one axis (torch.cat); the other axes must agree";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new Concat(setup);
        }
    }
}
