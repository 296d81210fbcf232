package dev.propel.standard.kernel;

/** Plain-Java {@link OptimizerKernels}: the reference the vector ones are tested against, and the fallback. */
public final class ScalarOptimizerKernels implements OptimizerKernels {

    @Override
    public void sgd(float[] w, float[] g, int from, int to, float lr, float weightDecay) {
        for (int i = from; i < to; i++) w[i] -= lr * (g[i] + weightDecay * w[i]);
    }

    @Override
    public void momentum(float[] w, float[] g, float[] v, int from, int to, float lr, float momentum, float weightDecay,
                         boolean nesterov) {
        for (int i = from; i < to; i++) {
            float gi = g[i] + weightDecay * w[i];
            v[i] = momentum * v[i] + gi;
            w[i] -= lr * (nesterov ? gi + momentum * v[i] : v[i]);
        }
    }

    @Override
    public void rmsprop(float[] w, float[] g, float[] s, int from, int to, float lr, float alpha, float eps,
                        float weightDecay) {
        for (int i = from; i < to; i++) {
            float gi = g[i] + weightDecay * w[i];
            s[i] = alpha * s[i] + (1f - alpha) * gi * gi;
            w[i] -= lr * gi / ((float) Math.sqrt(s[i]) + eps);
        }
    }

    @Override
    public void adagrad(float[] w, float[] g, float[] s, int from, int to, float lr, float eps, float weightDecay) {
        for (int i = from; i < to; i++) {
            float gi = g[i] + weightDecay * w[i];
            s[i] += gi * gi;
            w[i] -= lr * gi / ((float) Math.sqrt(s[i]) + eps);
        }
    }

    @Override
    public void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, float lr, float beta1, float beta2,
                     float eps, float weightDecay, boolean decoupled, float bc1, float bc2) {
        float stepSize = lr / bc1;
        float invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2));
        float shrink = decoupled ? 1f - lr * weightDecay : 1f;
        float coupled = decoupled ? 0f : weightDecay;
        for (int i = from; i < to; i++) {
            float gi = g[i] + coupled * w[i];
            m[i] = beta1 * m[i] + (1f - beta1) * gi;
            v[i] = beta2 * v[i] + (1f - beta2) * gi * gi;
            float denom = (float) Math.sqrt(v[i]) * invSqrtBc2 + eps;
            w[i] = w[i] * shrink - stepSize * m[i] / denom;
        }
    }
}
