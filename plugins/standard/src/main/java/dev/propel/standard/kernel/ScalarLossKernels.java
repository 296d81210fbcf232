package dev.propel.standard.kernel;

/** Plain-Java {@link LossKernels} (moved from the core's scalar kernels unchanged). */
public final class ScalarLossKernels implements LossKernels {

    @Override
    public float binaryCrossEntropy(float[] p, float[] t, float[] grad, int n, boolean fromLogits) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double pi = p[i];
            double ti = t[i];
            if (fromLogits) {
                total += Math.max(pi, 0) - pi * ti + Math.log1p(Math.exp(-Math.abs(pi)));
                if (grad != null) grad[i] = (float) (1.0 / (1.0 + Math.exp(-pi)) - ti);
            } else {
                double logP = Math.max(Math.log(pi), -100);
                double log1mP = Math.max(Math.log(1 - pi), -100);
                total += -(ti * logP + (1 - ti) * log1mP);
                if (grad != null) grad[i] = (float) ((pi - ti) / Math.max(pi * (1 - pi), 1e-12));
            }
        }
        return (float) total;
    }
}
