package dev.propel.standard.kernel;

import dev.propel.spi.KernelFamily;
import dev.propel.testkit.KernelFamilyContract;
import dev.propel.testkit.KernelProbe;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The Vector API update rules give the scalar ones' bits, on sizes with tails, interpreted or compiled.
 * Each probe takes three steps from random weights, gradients and state, and returns the weights and
 * both state arrays.
 */
class OptimizerKernelsContractTest extends KernelFamilyContract<OptimizerKernels> {

    /** One optimizer step of a rule, on all {@code n} values. */
    @FunctionalInterface
    interface Rule {
        void step(OptimizerKernels k, float[] w, float[] g, float[] s1, float[] s2, int n, int t);
    }

    static final Rule SGD = (k, w, g, s1, s2, n, t) -> k.sgd(w, g, 0, n, 0.1f, 1e-3f);
    static final Rule MOMENTUM = (k, w, g, s1, s2, n, t) -> k.momentum(w, g, s1, 0, n, 0.1f, 0.9f, 1e-3f, false);
    static final Rule NESTEROV = (k, w, g, s1, s2, n, t) -> k.momentum(w, g, s1, 0, n, 0.1f, 0.9f, 1e-3f, true);
    static final Rule RMSPROP = (k, w, g, s1, s2, n, t) -> k.rmsprop(w, g, s2, 0, n, 0.01f, 0.99f, 1e-8f, 1e-3f);
    static final Rule ADAGRAD = (k, w, g, s1, s2, n, t) -> k.adagrad(w, g, s2, 0, n, 0.01f, 1e-10f, 1e-3f);
    static final Rule ADAM = adam(false);
    static final Rule ADAMW = adam(true);

    private static Rule adam(boolean decoupled) {
        return (k, w, g, s1, s2, n, t) -> k.adam(w, g, s1, s2, 0, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled,
                (float) (1 - Math.pow(0.9, t)), (float) (1 - Math.pow(0.999, t)));
    }

    /** Three steps of {@code rule} from random weights, gradient and state; returns w, then both state arrays. */
    static float[] threeSteps(Rule rule, OptimizerKernels k, RandomGenerator rng, int n) {
        float[] w = KernelProbe.uniform(rng, n, -1, 1);
        float[] g = KernelProbe.uniform(rng, n, -1, 1);
        float[] s1 = KernelProbe.uniform(rng, n, -0.1, 0.1);
        float[] s2 = KernelProbe.uniform(rng, n, 0, 0.1);
        for (int t = 1; t <= 3; t++) rule.step(k, w, g, s1, s2, n, t);
        float[] out = new float[3 * n];
        System.arraycopy(w, 0, out, 0, n);
        System.arraycopy(s1, 0, out, n, n);
        System.arraycopy(s2, 0, out, 2 * n, n);
        return out;
    }

    private static KernelProbe<OptimizerKernels> probe(String name, Rule rule) {
        return KernelProbe.bitwise(name, (k, rng, n) -> threeSteps(rule, k, rng, n));
    }

    @Override
    protected KernelFamily<OptimizerKernels> family() {
        return OptimizerKernels.family();
    }

    @Override
    protected List<KernelProbe<OptimizerKernels>> probes() {
        return List.of(probe("sgd", SGD), probe("momentum", MOMENTUM), probe("nesterov", NESTEROV),
                probe("rmsprop", RMSPROP), probe("adagrad", ADAGRAD), probe("adam", ADAM), probe("adamw", ADAMW));
    }
}
