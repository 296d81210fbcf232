package dev.propel.testkit;

import dev.propel.kernel.Kernels;
import dev.propel.spi.Optimizer;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The optimizer contracts' test problem: two parameters shaped like a small dense layer's
 * ({@code "layer_0.weight"} [3, 17] and {@code "layer_0.bias"} [5]) and the convex objective
 * <pre>
 *   f(w) = ½ Σ_i a_i·(w_i − c_i)²,   ∂f/∂w_i = a_i·(w_i − c_i)
 * </pre>
 * with curvatures {@code a_i} uniform in [0.5, 2], minimum {@code c_i} and start {@code w_i} drawn
 * from N(0, 1). Everything is drawn from the seed, so two problems with the same seed are identical.
 */
final class ConvexProblem {
    final List<Parameter> parameters = new ArrayList<>();
    private final List<Tensor> curvature = new ArrayList<>();
    private final List<Tensor> minimum = new ArrayList<>();

    ConvexProblem(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        add("layer_0.weight", rng, 3, 17);
        add("layer_0.bias", rng, 5);
    }

    private void add(String name, SplittableRandom rng, int... dims) {
        parameters.add(new Parameter(name, RandomTensors.normal(rng, dims), Tensor.zeros(dims)));
        curvature.add(RandomTensors.uniform(rng, 0.5f, 2f, dims));
        minimum.add(RandomTensors.normal(rng, dims));
    }

    /** f at the current values, in double. */
    double objective() {
        double f = 0;
        for (int p = 0; p < parameters.size(); p++) {
            float[] w = parameters.get(p).value().data();
            float[] a = curvature.get(p).data();
            float[] c = minimum.get(p).data();
            for (int i = 0; i < w.length; i++) {
                double d = (double) w[i] - c[i];
                f += 0.5 * a[i] * d * d;
            }
        }
        return f;
    }

    /** Writes ∂f/∂w at the current values into every parameter's gradient. */
    void computeGradients() {
        for (int p = 0; p < parameters.size(); p++) {
            float[] w = parameters.get(p).value().data();
            float[] g = parameters.get(p).gradient().data();
            float[] a = curvature.get(p).data();
            float[] c = minimum.get(p).data();
            for (int i = 0; i < w.length; i++) g[i] = a[i] * (w[i] - c[i]);
        }
    }

    /** Computes the gradients and lets {@code optimizer} take one step at {@code learningRate}. */
    void step(Optimizer optimizer, float learningRate, Kernels kernels) {
        computeGradients();
        optimizer.step(parameters, learningRate, kernels);
    }

    /** Copies of the current parameter values. */
    List<Tensor> values() {
        List<Tensor> v = new ArrayList<>();
        for (Parameter p : parameters) v.add(p.value().copy());
        return v;
    }

    List<String> names() {
        List<String> n = new ArrayList<>();
        for (Parameter p : parameters) n.add(p.name());
        return n;
    }
}
