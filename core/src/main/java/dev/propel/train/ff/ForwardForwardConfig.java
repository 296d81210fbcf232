package dev.propel.train.ff;

import dev.propel.spi.Optimizer;
import dev.propel.spi.PropelException;
import dev.propel.train.LearningRateSchedule;
import dev.propel.train.TrainingConfig;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How to train a Forward-Forward stack. The options shared with backprop — epochs, mini-batch size,
 * seed, shuffling, validation split, per-epoch learning-rate schedule, gradient clipping (per block)
 * and listeners — come from a {@link TrainingConfig}; the rest are FF's own.
 *
 * @param training            the shared options ({@code initialEpoch} must be 0: FF runs are not resumed)
 * @param optimizer           makes the optimizer of one block; called once per block (and once for the
 *                            head), because each layer needs its own optimizer state
 * @param layerLearningRates  base learning rate per block (one value for all, or one per block); empty:
 *                            each optimizer's own rate
 * @param headOptimizer       makes the softmax head's optimizer; {@code null}: use {@code optimizer}
 * @param headLearningRate    the head's base rate; NaN: its optimizer's own rate
 * @param goodness            sum or mean of squared activities
 * @param threshold           threshold per unit (see {@link Goodness}); Hinton: 1 with the sum
 * @param negatives           random or hard negative labels
 * @param layerSchedule       all layers every batch, or greedily layer by layer
 * @param rule                the prediction rule the trained model uses
 * @param firstCountedBlock   first block counted in prediction; -1: 1 when there are 2 or more blocks, else 0
 * @param labelStrength       value of the "on" label feature; NaN: the largest feature value in the training data
 * @param trainAccuracySamples training examples whose accuracy is measured at the end of each epoch
 *                            (with the prediction rule); 0: not measured (reported as NaN)
 * @param peerNormalization   λ of Hinton's peer normalisation (0 = off, his code uses 0.03): each unit's mean
 *                            activity on positive data is tracked ({@code m ← 0.9·m + 0.1·batch mean}) and
 *                            {@code λ·(m_j − mean_k m_k)·2/P} is added to ∂L/∂(pre-activation) of every positive
 *                            row — not gated by the ReLU, so it revives dead units and calms hysterical ones
 */
public record ForwardForwardConfig(TrainingConfig training, Supplier<Optimizer> optimizer, List<Float> layerLearningRates,
                                   Supplier<Optimizer> headOptimizer, float headLearningRate, Goodness goodness,
                                   float threshold, NegativeLabels negatives, LayerSchedule layerSchedule,
                                   PredictionRule rule, int firstCountedBlock, float labelStrength,
                                   int trainAccuracySamples, float peerNormalization) {

    /**
     * Checks every option; throws {@link PropelException} naming the first one out of range (rates, threshold, counts)
     * or missing.
     */
    public ForwardForwardConfig {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(optimizer, "optimizer: give a supplier that makes a new optimizer for each block");
        layerLearningRates = List.copyOf(layerLearningRates);
        for (Float lr : layerLearningRates) {
            if (!(lr > 0) || !Float.isFinite(lr)) {
                throw new PropelException("Forward-Forward layer learning rates must be finite and > 0, got " + layerLearningRates);
            }
        }
        if (!Float.isNaN(headLearningRate) && !(headLearningRate > 0 && Float.isFinite(headLearningRate))) {
            throw new PropelException("Forward-Forward head learning rate must be finite and > 0, got " + headLearningRate);
        }
        Objects.requireNonNull(goodness, "goodness");
        if (!(threshold > 0) || !Float.isFinite(threshold)) {
            throw new PropelException("Forward-Forward threshold must be finite and > 0 (per unit; 1 is Hinton's "
                    + "'layer width' with the sum goodness), got " + threshold);
        }
        Objects.requireNonNull(negatives, "negatives");
        Objects.requireNonNull(layerSchedule, "layerSchedule");
        Objects.requireNonNull(rule, "rule");
        if (firstCountedBlock < -1) {
            throw new PropelException("first counted block must be >= 0 (or -1 for automatic), got " + firstCountedBlock);
        }
        if (!Float.isNaN(labelStrength) && !(labelStrength > 0 && Float.isFinite(labelStrength))) {
            throw new PropelException("label strength must be finite and > 0 (or NaN: from the data), got " + labelStrength);
        }
        if (trainAccuracySamples < 0) {
            throw new PropelException("train accuracy samples must be >= 0, got " + trainAccuracySamples);
        }
        if (!(peerNormalization >= 0) || !Float.isFinite(peerNormalization)) {
            throw new PropelException("peer normalisation strength must be finite and >= 0 (0 = off; Hinton uses 0.03), got "
                    + peerNormalization);
        }
        if (training.initialEpoch() != 0) {
            throw new PropelException("Forward-Forward training cannot resume from epoch " + training.initialEpoch()
                    + "; start it from epoch 0");
        }
    }

    /** Whether training needs the softmax head (for the softmax rule or to pick hard negatives). */
    public boolean needsHead() {
        return rule == PredictionRule.SOFTMAX || negatives == NegativeLabels.HARD;
    }

    /**
     * A builder with {@code training}'s shared options, {@code optimizer} making each block's optimizer, and FF's
     * defaults.
     */
    public static Builder builder(TrainingConfig training, Supplier<Optimizer> optimizer) {
        return new Builder(training, optimizer);
    }

    /** Defaults: sum goodness, threshold 1, random negatives, all layers every batch, goodness rule. */
    public static final class Builder {
        private final TrainingConfig training;
        private final Supplier<Optimizer> optimizer;
        private List<Float> layerLearningRates = List.of();
        private Supplier<Optimizer> headOptimizer;
        private float headLearningRate = Float.NaN;
        private Goodness goodness = Goodness.SUM;
        private float threshold = 1f;
        private NegativeLabels negatives = NegativeLabels.RANDOM;
        private LayerSchedule layerSchedule = LayerSchedule.SIMULTANEOUS;
        private PredictionRule rule = PredictionRule.GOODNESS;
        private int firstCountedBlock = -1;
        private float labelStrength = Float.NaN;
        private int trainAccuracySamples = 2000;
        private float peerNormalization;

        private Builder(TrainingConfig training, Supplier<Optimizer> optimizer) {
            this.training = training;
            this.optimizer = optimizer;
        }

        /**
         * Base learning rate per block: one value for all blocks, or one per block (default: each optimizer's own
         * rate).
         */
        public Builder layerLearningRates(List<Float> rates) {
            this.layerLearningRates = rates;
            return this;
        }

        /** Makes the softmax head's optimizer (default: the blocks' {@code optimizer}). */
        public Builder headOptimizer(Supplier<Optimizer> headOptimizer) {
            this.headOptimizer = headOptimizer;
            return this;
        }

        /** The softmax head's base learning rate (default NaN: its optimizer's own rate). */
        public Builder headLearningRate(float rate) {
            this.headLearningRate = rate;
            return this;
        }

        /** Sum (default, Hinton's) or mean of squared activities. */
        public Builder goodness(Goodness goodness) {
            this.goodness = goodness;
            return this;
        }

        /** Goodness threshold per unit (default 1). */
        public Builder threshold(float threshold) {
            this.threshold = threshold;
            return this;
        }

        /** Random (default) or hard negative labels. */
        public Builder negatives(NegativeLabels negatives) {
            this.negatives = negatives;
            return this;
        }

        /** All layers every batch (default) or greedily layer by layer. */
        public Builder layerSchedule(LayerSchedule schedule) {
            this.layerSchedule = schedule;
            return this;
        }

        /** The prediction rule the trained model uses (default: goodness). */
        public Builder rule(PredictionRule rule) {
            this.rule = rule;
            return this;
        }

        /** The first block counted in prediction; -1 (default): 1 when there are two or more blocks, else 0. */
        public Builder firstCountedBlock(int block) {
            this.firstCountedBlock = block;
            return this;
        }

        /** The value of the "on" label feature; NaN (default): the largest feature value of the training data. */
        public Builder labelStrength(float strength) {
            this.labelStrength = strength;
            return this;
        }

        /** Training examples whose accuracy is measured after each epoch (default 2000; 0: not measured). */
        public Builder trainAccuracySamples(int samples) {
            this.trainAccuracySamples = samples;
            return this;
        }

        /** λ of Hinton's peer normalisation (default 0: off; his code uses 0.03). */
        public Builder peerNormalization(float lambda) {
            this.peerNormalization = lambda;
            return this;
        }

        /** The configuration; throws {@link PropelException} for an option out of range. */
        public ForwardForwardConfig build() {
            return new ForwardForwardConfig(training, optimizer, layerLearningRates, headOptimizer, headLearningRate, goodness,
                    threshold, negatives, layerSchedule, rule, firstCountedBlock, labelStrength, trainAccuracySamples,
                    peerNormalization);
        }
    }
}
