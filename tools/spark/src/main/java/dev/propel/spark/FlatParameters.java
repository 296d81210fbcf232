package dev.propel.spark;

import dev.propel.spi.Parameter;

import java.util.List;

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
        float[] flat = new float[size(params)];
        int at = 0;
        for (Parameter p : params) {
            System.arraycopy(p.value().data(), 0, flat, at, p.value().size());
            at += p.value().size();
        }
        return flat;
    }

    static float[] gradients(List<Parameter> params) {
        float[] flat = new float[size(params)];
        int at = 0;
        for (Parameter p : params) {
            System.arraycopy(p.gradient().data(), 0, flat, at, p.gradient().size());
            at += p.gradient().size();
        }
        return flat;
    }

    static void setValues(List<Parameter> params, float[] flat) {
        requireSize(params, flat, "weights");
        int at = 0;
        for (Parameter p : params) {
            System.arraycopy(flat, at, p.value().data(), 0, p.value().size());
            at += p.value().size();
        }
    }

    static void setGradients(List<Parameter> params, float[] flat) {
        requireSize(params, flat, "gradients");
        int at = 0;
        for (Parameter p : params) {
            System.arraycopy(flat, at, p.gradient().data(), 0, p.gradient().size());
            at += p.gradient().size();
        }
    }

    private static void requireSize(List<Parameter> params, float[] flat, String what) {
        if (flat.length != size(params)) {
            throw new IllegalStateException("the workers' model has " + size(params) + " parameter values but " + flat.length
                    + " " + what + " arrived; driver and executors must run the same Propel and plugin versions");
        }
    }
}
