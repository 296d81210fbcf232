package dev.propel.spark;

import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

/** All parameters' values or gradients as one array, in model order: what travels between driver and workers. */
final class FlatParameters {
    private FlatParameters() {
    }

    static int size(List<Parameter> params) {
        int n = 0;
        for (Parameter p : params) n += p.value().size();
        return n;
    }

    static float[] values(List<Parameter> params) {
        return gather(params, Parameter::value);
    }

    static float[] gradients(List<Parameter> params) {
        return gather(params, Parameter::gradient);
    }

    static void setValues(List<Parameter> params, float[] flat) {
        scatter(params, flat, Parameter::value, "weights");
    }

    static void setGradients(List<Parameter> params, float[] flat) {
        scatter(params, flat, Parameter::gradient, "gradients");
    }

    private static float[] gather(List<Parameter> params, Function<Parameter, Tensor> which) {
        float[] flat = new float[size(params)];
        int at = 0;
        for (Parameter p : params) {
            Tensor t = which.apply(p);
            System.arraycopy(t.data(), 0, flat, at, t.size());
            at += t.size();
        }
        return flat;
    }

    private static void scatter(List<Parameter> params, float[] flat, Function<Parameter, Tensor> which, String what) {
        if (flat.length != size(params)) {
            throw new IllegalStateException("the workers' model has " + size(params) + " parameter values but " + flat.length
                    + " " + what + " arrived; driver and executors must run the same Propel and plugin versions");
        }
        int at = 0;
        for (Parameter p : params) {
            Tensor t = which.apply(p);
            System.arraycopy(flat, at, t.data(), 0, t.size());
            at += t.size();
        }
    }
}
