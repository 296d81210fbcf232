package dev.propel.train.ff;

import dev.propel.kernel.Kernels;
import dev.propel.spi.PropelException;

/**
 * The layer-local Forward-Forward objective and its gradient with respect to the layer's activities.
 *
 * <p>For a layer of width w with activities y (after its activation) the goodness is
 * {@code g = s·Σ_j y_j²} ({@code s = 1} for {@link Goodness#SUM}, {@code 1/w} for {@link Goodness#MEAN})
 * and the probability that the example is positive is {@code p = σ(g − θ)}. For a mini-batch of P
 * positive and P negative examples the loss is the mean over pairs
 * <pre>
 *   L = (1/P) · [ Σ_pos softplus(θ − g) + Σ_neg softplus(g − θ) ]
 * </pre>
 * Its gradient, from {@code softplus'(u) = σ(u)} and {@code σ(−u) = 1 − σ(u)}:
 * <pre>
 *   positive:  ∂/∂g softplus(θ − g) = −σ(θ − g) = −(1 − p)
 *   negative:  ∂/∂g softplus(g − θ) =  σ(g − θ) =  p
 *   ∂g/∂y_j = 2·s·y_j
 *   ⇒ ∂L/∂y_j = −(1 − p)·2s·y_j / P   (positive rows)
 *      ∂L/∂y_j =       p ·2s·y_j / P   (negative rows)
 * </pre>
 * which is Hinton's {@code (1 − p)·y} / {@code −p·y} ascent direction up to the factor {@code 2s/P} and
 * the sign. The caller back-propagates ∂L/∂y through the layer's own activation and dense layer
 * only; nothing flows to the layer below.
 *
 * <p>Per row, {@code softplus(θ − g)} and {@code softplus(g − θ)} are exactly the binary cross-entropy
 * of the logit {@code z = g − θ} against target 1 and 0, and its gradient {@code σ(z) − t} is ∂L/∂g
 * above; so the stable {@link LogisticLoss} (binary cross-entropy from logits) computes both.
 */
public final class LocalLoss {
    private LocalLoss() {
    }

    /**
     * Computes the loss and ∂L/∂y for a batch whose first {@code positives} rows are positive examples and
     * whose remaining {@code rows − positives} rows are negative ones.
     *
     * @param y          activities, {@code rows × width}
     * @param goodness   the goodness of each row ({@link Goodness#compute}); left unchanged
     * @param threshold  the layer threshold θ (already scaled: {@link Goodness#layerThreshold})
     * @param pairs      P, the number the loss is averaged over
     * @param gradY      receives ∂L/∂y, {@code rows × width} (may not be {@code y})
     * @param logits     scratch of length >= rows; receives {@code z = g − θ}
     * @param targets    scratch of length >= rows; receives 1 for positive rows, 0 for negative rows
     * @param rowFactor  scratch of length >= rows; receives {@code (σ(z) − t)·2s/P}
     * @return L, the mean over pairs of the summed softplus terms
     */
    public static float lossAndGradient(Kernels k, float[] y, int rows, int width, int positives, float[] goodness,
                                        Goodness kind, float threshold, int pairs, float[] gradY,
                                        float[] logits, float[] targets, float[] rowFactor) {
        if (positives < 0 || positives > rows) {
            throw new PropelException("positives must be in [0, " + rows + "], got " + positives);
        }
        if (pairs < 1) throw new PropelException("pairs must be >= 1, got " + pairs);
        k.fill(logits, rows, threshold);
        k.sub(goodness, logits, logits, rows);                    // z = g − θ
        k.fill(targets, rows, 0f);
        k.fill(targets, positives, 1f);                           // t = 1 for positives, 0 for negatives
        float sum = LogisticLoss.sum(logits, targets, rowFactor, rows); // Σ softplus, ∂/∂g = σ(z) − t
        k.scale(2f * kind.scale(width) / pairs, rowFactor, rowFactor, rows);
        k.scaleRows(y, rows, width, rowFactor, gradY);           // ∂L/∂y = (σ(z) − t)·2s·y / P
        return sum / pairs;
    }

    /** The loss alone (no gradient), with the same conventions. */
    public static float loss(Kernels k, int rows, int positives, float[] goodness, float threshold, int pairs,
                             float[] logits, float[] targets) {
        k.fill(logits, rows, threshold);
        k.sub(goodness, logits, logits, rows);
        k.fill(targets, rows, 0f);
        k.fill(targets, positives, 1f);
        return LogisticLoss.sum(logits, targets, null, rows) / pairs;
    }
}
