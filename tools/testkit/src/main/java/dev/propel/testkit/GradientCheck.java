package dev.propel.testkit;

import dev.propel.kernel.Kernels;
import dev.propel.spi.Layer;
import dev.propel.spi.Loss;
import dev.propel.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Compares analytic gradients with central finite differences.
 *
 * <p><b>Layers.</b> With a fixed upstream gradient {@code dy} (random unless given), the scalar
 * objective is {@code f = Σ_i y_i·dy_i}, accumulated in double from the float outputs of a training
 * forward pass; so {@code ∂f/∂x = backward(dy)} and {@code ∂f/∂θ} is the parameter gradient. Each
 * element of every input (a layer may read several) and of every parameter is checked against {@code (f(v + ε) − f(v − ε)) / (v⁺ − v⁻)}, where
 * {@code v⁺} and {@code v⁻} are the perturbed values as stored in float. The same context and seed are
 * used for every pass, so stochastic layers (dropout) see the same mask each time. The check also
 * verifies that the layer does not modify its inputs, that backward returns a gradient of each input's
 * shape, and that parameter gradients are <em>accumulated</em> (a second backward pass without zeroing
 * doubles them).
 *
 * <p><b>Losses.</b> The objective is the loss itself; the check also verifies that the gradient
 * tensor is fully written (it is pre-filled with NaN), that the loss value is the same with and
 * without a gradient, and that predictions and targets are not modified.
 *
 * <p><b>Tolerance.</b> Element i passes when
 * <pre>
 *   |analytic − numeric| &lt;= relative·max(|analytic|, |numeric|) + absolute·max_j |numeric_j| + noise + floor
 * </pre>
 * where the absolute part scales with the largest numeric gradient of the same tensor (so the check does
 * not depend on the loss scale), {@code noise = 1e-6·S / (v⁺ − v⁻)} allows for float32 rounding of the
 * objective, with S = Σ|y_i·dy_i| for layers and S = |loss| for losses, and {@code floor} allows for
 * float32 rounding of an analytic gradient that is mathematically zero. Defaults: ε = 1e-2,
 * relative = 1e-2, absolute = 1e-3, floor = 1e-6. Inputs of functions with kinks (ReLU) should stay
 * farther than ε from the kink; see {@link RandomTensors#awayFromZero}.
 *
 * <p>A failure throws {@link AssertionError} naming the layer or loss, the tensor, the worst element's
 * index, and the analytic and numeric values.
 */
public final class GradientCheck {
    static final double NOISE = 1e-6;

    private GradientCheck() {
    }

    /** A check of {@code layer} on {@code input} ({@code [batch, inputShape...]}). */
    public static LayerCheck layer(Layer layer, Tensor input, Kernels kernels) {
        return new LayerCheck(layer, List.of(input), kernels);
    }

    /** A check of a layer that reads several inputs, one tensor per input in input order. */
    public static LayerCheck layer(Layer layer, List<Tensor> inputs, Kernels kernels) {
        if (inputs.isEmpty()) throw new IllegalArgumentException("give at least one input");
        return new LayerCheck(layer, List.copyOf(inputs), kernels);
    }

    /** A check of {@code loss} at {@code predictions} against {@code targets}. */
    public static LossCheck loss(Loss loss, Tensor predictions, Tensor targets, Kernels kernels) {
        return new LossCheck(loss, predictions, targets, kernels);
    }

    /** Settings shared by both checks. */
    abstract static class Settings<T extends Settings<T>> {
        double epsilon = 1e-2;
        double relative = 1e-2;
        double absolute = 1e-3;
        double floor = 1e-6;

        @SuppressWarnings("unchecked")
        private T self() {
            return (T) this;
        }

        /** The finite-difference step (default 1e-2). */
        public T epsilon(double epsilon) {
            this.epsilon = epsilon;
            return self();
        }

        /** Relative and absolute tolerance (defaults 1e-2 and 1e-3; see the class comment). */
        public T tolerance(double relative, double absolute) {
            this.relative = relative;
            this.absolute = absolute;
            return self();
        }

        /** The smallest tolerance, for gradients that are mathematically zero (default 1e-6). */
        public T floor(double floor) {
            this.floor = floor;
            return self();
        }

        /** Compares one tensor's analytic gradient with central differences of {@code objective}. */
        void compare(String subject, String tensorName, Tensor value, Tensor analytic, Objective objective) {
            float[] v = value.data();
            int n = value.size();
            double[] numeric = new double[n];
            double[] noise = new double[n];
            double maxNumeric = 0;
            for (int i = 0; i < n; i++) {
                float original = v[i];
                v[i] = (float) (original + epsilon);
                float up = v[i];
                double[] plus = objective.evaluate();
                v[i] = (float) (original - epsilon);
                float down = v[i];
                double[] minus = objective.evaluate();
                v[i] = original;
                double h = (double) up - down;
                numeric[i] = (plus[0] - minus[0]) / h;
                noise[i] = NOISE * Math.max(plus[1], minus[1]) / h;
                maxNumeric = Math.max(maxNumeric, Math.abs(numeric[i]));
            }
            int worst = -1;
            double worstExcess = 1;
            int bad = 0;
            for (int i = 0; i < n; i++) {
                double a = analytic.data()[i];
                double diff = Math.abs(a - numeric[i]);
                double tol = tolerance(a, numeric[i], maxNumeric, noise[i]);
                double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / tol;
                if (excess > 1) {
                    bad++;
                    if (worst < 0 || excess > worstExcess) {
                        worst = i;
                        worstExcess = excess;
                    }
                }
            }
            if (worst >= 0) {
                double a = analytic.data()[worst];
                throw new AssertionError("gradient check failed for " + subject + ", " + tensorName + ": worst element "
                        + TensorAsserts.index(value.shape(), worst) + ": analytic " + (float) a + " vs numeric "
                        + (float) numeric[worst] + " (|difference| " + (float) Math.abs(a - numeric[worst])
                        + " > tolerance " + (float) tolerance(a, numeric[worst], maxNumeric, noise[worst])
                        + "; relative " + relative + ", absolute " + absolute + " × largest numeric "
                        + (float) maxNumeric + ", floor " + floor + ", epsilon " + epsilon + "); " + bad + " of " + n
                        + " elements out of tolerance");
            }
        }

        private double tolerance(double a, double numeric, double maxNumeric, double noise) {
            return relative * Math.max(Math.abs(a), Math.abs(numeric)) + absolute * maxNumeric + noise + floor;
        }
    }

    /** The scalar objective at the current values: {@code {f, S}} with S its scale for the noise term. */
    @FunctionalInterface
    interface Objective {
        double[] evaluate();
    }

    /** Gradient check of one layer; configure, then {@link #run()}. */
    public static final class LayerCheck extends Settings<LayerCheck> {
        private final Layer layer;
        private final List<Tensor> inputs;
        private final Kernels kernels;
        private Tensor upstream;
        private long seed = 1234;
        private Set<Integer> discrete = Set.of();

        LayerCheck(Layer layer, List<Tensor> inputs, Kernels kernels) {
            this.layer = layer;
            this.inputs = inputs;
            this.kernels = kernels;
        }

        /** The upstream gradient ∂L/∂output (default: N(0, 1) values drawn from the seed). */
        public LayerCheck upstream(Tensor gradOutput) {
            this.upstream = gradOutput;
            return this;
        }

        /** Inputs of integer values (token ids, lengths): not perturbed; their gradient must be zero. */
        public LayerCheck discreteInputs(Set<Integer> positions) {
            this.discrete = Set.copyOf(positions);
            return this;
        }

        /** Seeds the context (dropout masks) and the random upstream gradient (default 1234). */
        public LayerCheck seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Runs the check; throws {@link AssertionError} on the first tensor that fails. */
        public void run() {
            String subject = "layer '" + layer.name() + "' (" + layer.typeId() + ")";
            int n = inputs.size();
            TestLayerContext ctx = TestLayerContext.training(layer, kernels).seed(seed);
            List<Tensor> xs = LayerCalls.copies(inputs);
            Tensor y = LayerCalls.forward(layer, xs, ctx);
            Tensor dy = upstream != null ? upstream : RandomTensors.normal(new SplittableRandom(seed), y.shape().dims());
            if (dy.size() != y.size()) {
                throw new IllegalArgumentException(subject + ": the upstream gradient has shape " + dy.shape()
                        + " but the output has shape " + y.shape());
            }
            ctx.zeroGradients();
            List<Tensor> dxLive = LayerCalls.backward(layer, dy, ctx, n);
            for (int i = 0; i < n; i++) {
                String which = inputName(i);
                Tensor g = dxLive.get(i);
                if (g == null) {
                    throw new AssertionError(subject + ": backward returned null for " + which
                            + " although needsInputGradient(" + i + ") is true");
                }
                if (!g.shape().equals(xs.get(i).shape())) {
                    throw new AssertionError(subject + ": backward returned a gradient of shape " + g.shape() + " for "
                            + which + " of shape " + xs.get(i).shape());
                }
            }
            List<Tensor> dxs = LayerCalls.copies(dxLive);
            Map<String, Tensor> paramGrads = new LinkedHashMap<>();
            ctx.gradients().forEach((name, g) -> paramGrads.put(name, g.copy()));
            for (int i = 0; i < n; i++) {
                TensorAsserts.assertBitwiseEqual(subject + " modified " + inputName(i), inputs.get(i), xs.get(i));
            }

            checkAccumulates(subject, ctx, xs, dy, paramGrads);

            Objective objective = () -> {
                Tensor out = LayerCalls.forward(layer, xs, ctx);
                double f = 0;
                double scale = 0;
                for (int i = 0; i < out.size(); i++) {
                    double term = (double) out.data()[i] * dy.data()[i];
                    f += term;
                    scale += Math.abs(term);
                }
                return new double[] {f, scale};
            };
            for (int i = 0; i < n; i++) {
                String what = n == 1 ? "input gradient" : "input gradient of " + inputName(i);
                if (discrete.contains(i)) {
                    TensorAsserts.assertBitwiseEqual(subject + ": the " + what + " (integer values)", Tensor.zeros(xs.get(i).shape().dims()),
                            dxs.get(i));
                } else {
                    compare(subject, what, xs.get(i), dxs.get(i), objective);
                }
            }
            for (Map.Entry<String, Tensor> p : layer.parameters().entrySet()) {
                compare(subject, "gradient of parameter '" + p.getKey() + "'", p.getValue(), paramGrads.get(p.getKey()), objective);
            }
        }

        private String inputName(int i) {
            return inputs.size() == 1 ? "its input" : "input " + i;
        }

        private void checkAccumulates(String subject, TestLayerContext ctx, List<Tensor> xs, Tensor dy, Map<String, Tensor> first) {
            LayerCalls.forward(layer, xs, ctx);
            LayerCalls.backward(layer, dy, ctx, xs.size());
            for (Map.Entry<String, Tensor> e : first.entrySet()) {
                Tensor twice = e.getValue().copy();
                kernels.scale(2f, twice.data(), twice.data(), twice.size());
                try {
                    TensorAsserts.assertClose("", twice, ctx.gradient(e.getKey()), 1e-5, 1e-6 * maxAbs(twice));
                } catch (AssertionError err) {
                    throw new AssertionError(subject + ": the gradient of parameter '" + e.getKey()
                            + "' is not accumulated; after two backward passes without zeroing it should be twice the"
                            + " first pass" + err.getMessage());
                }
            }
        }
    }

    /** Gradient check of one loss; configure, then {@link #run()}. */
    public static final class LossCheck extends Settings<LossCheck> {
        private final Loss loss;
        private final Tensor predictions;
        private final Tensor targets;
        private final Kernels kernels;

        LossCheck(Loss loss, Tensor predictions, Tensor targets, Kernels kernels) {
            this.loss = loss;
            this.predictions = predictions;
            this.targets = targets;
            this.kernels = kernels;
        }

        /** Runs the check; throws {@link AssertionError} when it fails. */
        public void run() {
            String subject = "loss '" + loss.typeId() + "' " + loss.attributes();
            Tensor p = predictions.copy();
            Tensor t = targets.copy();
            Tensor grad = Tensor.zeros(p.shape());
            kernels.fill(grad.data(), grad.size(), Float.NaN);
            float value = loss.compute(p, t, grad, kernels);
            int unwritten = kernels.firstNonFinite(grad.data(), grad.size());
            if (unwritten >= 0) {
                throw new AssertionError(subject + ": gradient element " + TensorAsserts.index(p.shape(), unwritten)
                        + " is " + grad.data()[unwritten] + " (the gradient tensor was pre-filled with NaN; every element must be written)");
            }
            float without = loss.compute(p, t, null, kernels);
            if (Math.abs(value - without) > 1e-6 * Math.max(1, Math.abs(value))) {
                throw new AssertionError(subject + ": the loss is " + value + " when computing the gradient but "
                        + without + " without");
            }
            TensorAsserts.assertBitwiseEqual(subject + " modified its predictions", predictions, p);
            TensorAsserts.assertBitwiseEqual(subject + " modified its targets", targets, t);
            compare(subject, "gradient with respect to the predictions", p, grad, () -> {
                double f = loss.compute(p, t, null, kernels);
                return new double[] {f, Math.abs(f)};
            });
        }
    }

    static float maxAbs(Tensor t) {
        float m = 0;
        for (int i = 0; i < t.size(); i++) m = Math.max(m, Math.abs(t.data()[i]));
        return m;
    }
}
