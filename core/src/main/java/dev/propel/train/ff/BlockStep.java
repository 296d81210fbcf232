package dev.propel.train.ff;

/**
 * The layer-local step of one Forward-Forward block on one batch, as the trainer took it: the goodness
 * of every positive example (true label embedded) and every negative one (a wrong label), the
 * probability σ(g − θ) the block gives each of being positive, and the local loss split into its two
 * passes (see {@link LocalLoss}): {@code positiveLoss = (1/P)·Σ_pos softplus(θ − g)},
 * {@code negativeLoss = (1/P)·Σ_neg softplus(g − θ)}, {@code loss} the value the trainer used (their
 * sum up to rounding). Arrays are copies, one value per example of the batch.
 *
 * @param block       the block's index in the stack (0-based)
 * @param description e.g. {@code "dense_1 (784→500) + relu_1"}
 * @param threshold   θ as the block compares it ({@link Goodness#layerThreshold}: per unit × width for the sum)
 */
public record BlockStep(int block, String description, float threshold, float[] positiveGoodness, float[] negativeGoodness,
                        float[] positiveProbability, float[] negativeProbability, float positiveLoss, float negativeLoss,
                        float loss) {
}
