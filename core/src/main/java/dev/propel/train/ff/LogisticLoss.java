package dev.propel.train.ff;

/**
 * The Forward-Forward trainer's own loss kernel: for logits z and targets t, the sum of the logistic
 * losses {@code max(z, 0) − z·t + ln(1 + e^−|z|)} (binary cross-entropy from logits, computed stably) and,
 * when {@code grad} is not null, the element-wise gradient {@code σ(z) − t}.
 *
 * <p>This was the core kernels' {@code binaryCrossEntropy(fromLogits)} until loss-specific kernels left
 * the core's kernel contract (issue 11; the standard plugin's loss now ships its own). The trainer cannot
 * use a plugin's kernels, so it keeps the same double-precision loop here, and Forward-Forward training
 * gives the same bits as before. One value per row of a batch: not worth vectorising.
 */
final class LogisticLoss {
    private LogisticLoss() {
    }

    static float sum(float[] z, float[] t, float[] grad, int n) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double zi = z[i];
            double ti = t[i];
            total += Math.max(zi, 0) - zi * ti + Math.log1p(Math.exp(-Math.abs(zi)));
            if (grad != null) grad[i] = (float) (1.0 / (1.0 + Math.exp(-zi)) - ti);
        }
        return (float) total;
    }
}
