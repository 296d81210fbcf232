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
 * Element-wise sum of two or more inputs of the same shape (a residual connection's join):
 * {@code y = x_1 + x_2 + … + x_n}, added in input order. Backward: {@code ∂L/∂x_i = ∂L/∂y} for every
 * input, the same tensor handed to each (the model never writes into it).
 */
public final class Add implements MultiInputLayer {
    /** The type id: the element-wise sum of two or more inputs of one shape. */
    public static final String TYPE = "add";

    private final String name;
    private final String describe;
    private final Attributes attributes;
    private final List<Shape> inputShapes;
    private final Shape shape;
    /** The last list {@link #backwardInputs} returned, kept so a session's next step need not allocate one. */
    private volatile InputGradients lastGradients;

    Add(LayerSetup setup) {
        this.name = setup.name();
        this.describe = setup.describe(TYPE);
        this.attributes = setup.attributes();
        this.inputShapes = setup.inputShapes();
        this.shape = inputShapes.getFirst();
        if (inputShapes.size() < 2) {
            throw new ShapeException(describe + " adds two or more inputs but reads only " + setup.inputNames()
                    + "; name its inputs, e.g. \"inputs\": [\"dense_1\", \"input\"]");
        }
        for (int i = 1; i < inputShapes.size(); i++) {
            if (!inputShapes.get(i).equals(shape)) {
                throw new ShapeException(describe + ": input '" + setup.inputNames().getFirst() + "' has shape " + shape
                        + " but input '" + setup.inputNames().get(i) + "' has shape " + inputShapes.get(i)
                        + "; add needs equal shapes (project one of them first, e.g. with a dense layer)");
            }
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
    public List<Shape> inputShapes() {
        return inputShapes;
    }

    @Override
    public Shape outputShape() {
        return shape;
    }

    @Override
    public Tensor forward(List<Tensor> inputs, LayerContext ctx) {
        for (int i = 0; i < inputs.size(); i++) LayerInputs.requireBatchOf(describe, shape, inputs.get(i));
        Tensor first = inputs.getFirst();
        int n = first.size();
        Tensor y = ctx.buffer("output", first.shape());
        Kernels k = ctx.kernels();
        k.add(first.data(), inputs.get(1).data(), y.data(), n);
        for (int i = 2; i < inputs.size(); i++) k.add(y.data(), inputs.get(i).data(), y.data(), n);
        if (ctx.training()) ctx.save("output", y); // for backward's size check
        return y;
    }

    @Override
    public List<Tensor> backwardInputs(Tensor gradOutput, LayerContext ctx) {
        Tensor y = ctx.saved("output");
        LayerInputs.requireGradientSize(describe, y.size(), gradOutput, y.shape());
        InputGradients last = lastGradients;
        if (last != null && last.matches(gradOutput, ctx)) return last.list();
        Tensor[] grads = new Tensor[inputShapes.size()];
        for (int i = 0; i < grads.length; i++) grads[i] = ctx.needsInputGradient(i) ? gradOutput : null;
        InputGradients made = new InputGradients(gradOutput, Collections.unmodifiableList(Arrays.asList(grads)));
        lastGradients = made;
        return made.list();
    }

    /**
     * The gradients handed to the inputs: {@code gradOutput} for each input that needs one, else null. A session
     * passes the same {@code gradOutput} tensor at every step, so the list is made once per session rather than
     * once per step; sessions that share the layer just make their own when the kept one is another's.
     */
    private record InputGradients(Tensor gradOutput, List<Tensor> list) {
        boolean matches(Tensor grad, LayerContext ctx) {
            if (grad != gradOutput) return false;
            for (int i = 0; i < list.size(); i++) {
                if ((list.get(i) != null) != ctx.needsInputGradient(i)) return false;
            }
            return true;
        }
    }

    @Override
    public String toString() {
        return describe + " of " + inputShapes.size() + " inputs " + shape;
    }

    /** Makes {@link Add} layers. */
    public static final class Factory implements LayerFactory {
        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "element-wise sum of two or more inputs of the same shape (residual connections)";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.empty();
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new Add(setup);
        }
    }
}
