package dev.propel.spark;

import dev.propel.tensor.Tensor;

import java.util.Map;

/**
 * A model's layer state (e.g. batch-norm running statistics) as one array, in model order: what the
 * driver broadcasts with the weights, and what each worker sends back after its forward pass.
 *
 * <p>Workers send their updated state weighted by their share of the batch ({@code rows / batch}) as
 * doubles; the driver rounds the sum to float once. A value every worker reports alike — a batch
 * counter, each worker having counted the same one step — so comes back exactly: for P workers the
 * double sum of {@code v·w_i} (with {@code Σ w_i = 1}) lies within about {@code 2P·2⁻⁵³·|v|} of
 * {@code v}, far inside half a float ulp ({@code ≥ 2⁻²⁵·|v|}), so it rounds to {@code v} itself. With
 * one worker the weight is 1 and the state is the worker's bit for bit.
 */
final class LayerStates {
    private LayerStates() {
    }

    static int size(Map<String, Tensor> state) {
        int n = 0;
        for (Tensor t : state.values()) n += t.size();
        return n;
    }

    static float[] values(Map<String, Tensor> state) {
        float[] flat = new float[size(state)];
        int at = 0;
        for (Tensor t : state.values()) {
            System.arraycopy(t.data(), 0, flat, at, t.size());
            at += t.size();
        }
        return flat;
    }

    /** The state times {@code weight}, in double (the worker's share of the batch's state). */
    static double[] weighted(Map<String, Tensor> state, double weight) {
        double[] flat = new double[size(state)];
        int at = 0;
        for (Tensor t : state.values()) {
            float[] data = t.data();
            for (int i = 0; i < t.size(); i++) flat[at++] = data[i] * weight;
        }
        return flat;
    }

    static void set(Map<String, Tensor> state, float[] flat) {
        if (flat.length != size(state)) {
            throw new IllegalStateException("the model has " + size(state) + " layer state values but " + flat.length
                    + " arrived; driver and executors must run the same Propel and plugin versions");
        }
        int at = 0;
        for (Tensor t : state.values()) {
            System.arraycopy(flat, at, t.data(), 0, t.size());
            at += t.size();
        }
    }

    /** The workers' summed, weighted states, rounded once to the model's floats. */
    static void setRounded(Map<String, Tensor> state, double[] sum) {
        float[] flat = new float[sum.length];
        for (int i = 0; i < sum.length; i++) flat[i] = (float) sum[i];
        set(state, flat);
    }

    /** {@code a + b} element by element, into a new array (commutative bit for bit, as IEEE addition is). */
    static double[] plus(double[] a, double[] b) {
        double[] sum = new double[a.length];
        for (int i = 0; i < a.length; i++) sum[i] = a[i] + b[i];
        return sum;
    }
}
