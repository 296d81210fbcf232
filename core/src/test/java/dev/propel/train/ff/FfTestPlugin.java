package dev.propel.train.ff;

import dev.propel.kernel.Kernels;
import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerCapability;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.spi.Optimizer;
import dev.propel.spi.OptimizerFactory;
import dev.propel.spi.Parameter;
import dev.propel.spi.SpiVersion;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Minimal layers, a loss and an optimizer for testing the Forward-Forward trainer inside core (core
 * cannot depend on the standard plugin). Written against the SPI only, with the same type ids the
 * standard plugin uses, so the trainer sees what it will see in production.
 */
public final class FfTestPlugin extends AbstractPropelPlugin {

    /** How many times a dense layer's backward was asked for its input gradient (must stay 0 in FF). */
    static final AtomicInteger DENSE_INPUT_GRADIENTS = new AtomicInteger();

    @Override
    public String name() {
        return "ff-test";
    }

    @Override
    public String version() {
        return "0";
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    protected void configurePlugin() {
        layer(DenseFactory.class);
        layer(ReluFactory.class);
        layer(SoftmaxFactory.class);
        layer(ScaleFactory.class);
        loss(MseFactory.class);
        optimizer(SgdFactory.class);
    }

    // ------------------------------------------------------------------ dense: y = x·W + b, W [in, out]

    public static final class DenseFactory implements LayerFactory {
        @Override
        public String typeId() {
            return "dense";
        }

        @Override
        public String description() {
            return "test dense layer";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.builder().intAttr("units", null, 1, "outputs").build();
        }

        @Override
        public Layer create(LayerSetup setup) {
            int in = setup.inputShape().size();
            int out = setup.attributes().getInt("units");
            Tensor w = Tensor.randn(setup.random(), (float) (1 / Math.sqrt(in)), in, out);
            return new Dense(setup.name(), setup.attributes(), in, out, w, Tensor.zeros(out));
        }
    }

    record Dense(String name, Attributes attributes, int in, int out, Tensor weight, Tensor bias) implements Layer {
        @Override
        public Set<LayerCapability> capabilities() {
            return Set.of(LayerCapability.AFFINE);
        }

        @Override
        public String typeId() {
            return "dense";
        }

        @Override
        public Shape inputShape() {
            return Shape.of(in);
        }

        @Override
        public Shape outputShape() {
            return Shape.of(out);
        }

        @Override
        public Map<String, Tensor> parameters() {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("weight", weight);
            m.put("bias", bias);
            return m;
        }

        @Override
        public Tensor forward(Tensor input, LayerContext ctx) {
            int n = input.rows();
            Tensor y = ctx.buffer("out", Shape.of(n, out));
            ctx.kernels().gemm(false, false, n, out, in, 1f, input.data(), 0, in, weight.data(), 0, out, 0f, y.data(), 0, out);
            ctx.kernels().addRowVector(y.data(), n, out, bias.data());
            if (ctx.training()) ctx.save("x", input);
            return y;
        }

        @Override
        public Tensor backward(Tensor gradOutput, LayerContext ctx) {
            Kernels k = ctx.kernels();
            Tensor x = ctx.saved("x");
            int n = x.rows();
            k.gemm(true, false, in, out, n, 1f, x.data(), 0, in, gradOutput.data(), 0, out, 1f, ctx.gradient("weight").data(), 0, out);
            k.sumRows(gradOutput.data(), n, out, ctx.gradient("bias").data(), true);
            if (!ctx.needsInputGradient()) return null;
            DENSE_INPUT_GRADIENTS.incrementAndGet();
            Tensor dx = ctx.buffer("dx", Shape.of(n, in));
            k.gemm(false, true, n, in, out, 1f, gradOutput.data(), 0, out, weight.data(), 0, out, 0f, dx.data(), 0, in);
            return dx;
        }
    }

    // ------------------------------------------------------------------ relu

    public static final class ReluFactory implements LayerFactory {
        @Override
        public String typeId() {
            return "relu";
        }

        @Override
        public String description() {
            return "test relu";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.empty();
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new Relu(setup.name(), setup.inputShape());
        }
    }

    record Relu(String name, Shape inputShape) implements Layer {
        @Override
        public Set<LayerCapability> capabilities() {
            return Set.of(LayerCapability.ELEMENTWISE);
        }

        @Override
        public String typeId() {
            return "relu";
        }

        @Override
        public Attributes attributes() {
            return Attributes.empty();
        }

        @Override
        public Shape outputShape() {
            return inputShape;
        }

        @Override
        public Tensor forward(Tensor input, LayerContext ctx) {
            Tensor y = ctx.buffer("out", input.shape());
            ctx.kernels().relu(input.data(), y.data(), input.size());
            if (ctx.training()) ctx.save("x", input);
            return y;
        }

        @Override
        public Tensor backward(Tensor gradOutput, LayerContext ctx) {
            Tensor x = ctx.saved("x");
            Tensor dx = ctx.buffer("dx", x.shape());
            ctx.kernels().reluBackward(x.data(), gradOutput.data(), dx.data(), x.size());
            return dx;
        }
    }

    // ------------------------------------------------------------------ softmax (FF must refuse it)

    public static final class SoftmaxFactory implements LayerFactory {
        @Override
        public String typeId() {
            return "softmax";
        }

        @Override
        public String description() {
            return "test softmax";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.empty();
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new Softmax(setup.name(), setup.inputShape());
        }
    }

    record Softmax(String name, Shape inputShape) implements Layer {
        @Override
        public String typeId() {
            return "softmax";
        }

        @Override
        public Attributes attributes() {
            return Attributes.empty();
        }

        @Override
        public Shape outputShape() {
            return inputShape;
        }

        @Override
        public Tensor forward(Tensor input, LayerContext ctx) {
            Tensor y = ctx.buffer("out", input.shape());
            ctx.kernels().softmaxRows(input.data(), y.data(), input.rows(), input.rowSize());
            return y;
        }

        @Override
        public Tensor backward(Tensor gradOutput, LayerContext ctx) {
            throw new UnsupportedOperationException("not needed in these tests");
        }
    }

    // ------------------------------------------------------------------ scale: a parameterised non-dense layer y = x·s

    public static final class ScaleFactory implements LayerFactory {
        @Override
        public String typeId() {
            return "scale";
        }

        @Override
        public String description() {
            return "test per-feature scale with a learnable parameter";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.empty();
        }

        @Override
        public Layer create(LayerSetup setup) {
            Tensor s = Tensor.zeros(setup.inputShape().size());
            s.data()[0] = 1f;
            return new Scale(setup.name(), setup.inputShape(), s);
        }
    }

    record Scale(String name, Shape inputShape, Tensor s) implements Layer {
        @Override
        public String typeId() {
            return "scale";
        }

        @Override
        public Attributes attributes() {
            return Attributes.empty();
        }

        @Override
        public Shape outputShape() {
            return inputShape;
        }

        @Override
        public Map<String, Tensor> parameters() {
            return Map.of("s", s);
        }

        @Override
        public Tensor forward(Tensor input, LayerContext ctx) {
            return input;
        }

        @Override
        public Tensor backward(Tensor gradOutput, LayerContext ctx) {
            return gradOutput;
        }
    }

    // ------------------------------------------------------------------ mse loss (the stack needs some loss)

    public static final class MseFactory implements LossFactory {
        @Override
        public String typeId() {
            return "mse";
        }

        @Override
        public String description() {
            return "test mse";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.empty();
        }

        @Override
        public Loss create(Attributes attributes) {
            return new Loss() {
                @Override
                public String typeId() {
                    return "mse";
                }

                @Override
                public Attributes attributes() {
                    return attributes;
                }

                @Override
                /** {@code L = Σ(p − t)² / rows}, {@code ∂L/∂p = 2(p − t) / rows} (a test plugin: plain loops). */
                public float compute(Tensor predictions, Tensor targets, Tensor gradient, dev.propel.kernel.Kernels kernels) {
                    float[] p = predictions.data();
                    float[] t = targets.data();
                    float[] g = gradient.data();
                    int rows = predictions.shape().dim(0);
                    double sum = 0;
                    for (int i = 0; i < predictions.size(); i++) {
                        float d = p[i] - t[i];
                        sum += d * d;
                        g[i] = 2 * d / rows;
                    }
                    return (float) (sum / rows);
                }
            };
        }
    }

    // ------------------------------------------------------------------ sgd with momentum (state per parameter name)

    public static final class SgdFactory implements OptimizerFactory {
        @Override
        public String typeId() {
            return "sgd";
        }

        @Override
        public String description() {
            return "test sgd with momentum";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.builder()
                    .positiveFloat("learning_rate", 0.01f, "rate")
                    .nonNegativeFloat("momentum", 0f, "momentum")
                    .build();
        }

        @Override
        public Optimizer create(Attributes attributes) {
            return new Sgd(attributes);
        }
    }

    static final class Sgd implements Optimizer {
        private final Attributes attributes;
        private final Map<String, Tensor> velocity = new HashMap<>();
        private final Map<String, Tensor> scratch = new HashMap<>();
        private long steps;

        Sgd(Attributes attributes) {
            this.attributes = attributes;
        }

        @Override
        public String typeId() {
            return "sgd";
        }

        @Override
        public Attributes attributes() {
            return attributes;
        }

        @Override
        public float learningRate() {
            return attributes.getFloat("learning_rate");
        }

        @Override
        public void step(List<Parameter> parameters, float learningRate, Kernels kernels) {
            float mu = attributes.getFloat("momentum");
            for (Parameter p : parameters) {
                Tensor v = velocity.computeIfAbsent(p.name() + "/v", key -> Tensor.zeros(p.value().shape()));
                float[] step = scratch.computeIfAbsent(p.name(), key -> Tensor.zeros(p.value().shape())).data();
                int n = p.value().size();
                kernels.scale(mu, v.data(), v.data(), n);
                kernels.add(v.data(), p.gradient().data(), v.data(), n);      // v = μ·v + g
                kernels.scale(learningRate, v.data(), step, n);
                kernels.sub(p.value().data(), step, p.value().data(), n);     // w −= lr·v
            }
            steps++;
        }

        @Override
        public long stepCount() {
            return steps;
        }

        @Override
        public Map<String, Tensor> state() {
            return velocity;
        }

        @Override
        public void loadState(Map<String, Tensor> state, long stepCount) {
            throw new UnsupportedOperationException("not needed in these tests");
        }
    }
}
