package dev.propel.train.ff;

import dev.propel.data.Dataset;
import dev.propel.data.Shuffle;
import dev.propel.kernel.Kernels;
import dev.propel.model.Model;
import dev.propel.spi.Optimizer;
import dev.propel.spi.Parameter;
import dev.propel.spi.PropelException;
import dev.propel.tensor.ShapeException;
import dev.propel.train.BatchResult;
import dev.propel.train.EpochMetrics;
import dev.propel.train.Evaluation;
import dev.propel.train.Gradients;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingDivergedException;
import dev.propel.train.TrainingHistory;
import dev.propel.train.TrainingListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Forward-Forward training (Hinton, "The Forward-Forward Algorithm: Some Preliminary Investigations",
 * 2022), supervised recipe.
 *
 * <p>Per mini-batch of n examples:
 * <ol>
 *   <li>(hard negatives or softmax rule) a neutral-label pass through the stack feeds the softmax head,
 *       which takes one step of its own; with hard negatives, each example's wrong label is sampled from
 *       the head's prediction with the true class suppressed. Otherwise the wrong label is uniform
 *       among the other classes.</li>
 *   <li>A batch of 2n rows is built — the n images with their true label embedded (positive), then
 *       the same images with the wrong label (negative) — and normalised by {@link RmsNorm}.</li>
 *   <li>For each block in turn: forward, goodness of its output, the {@link LocalLoss} and its gradient
 *       ∂L/∂y, back-propagation <em>within the block only</em> (the dense layer's input gradient is
 *       never computed); the block's output, normalised, is the next block's input. Its activations are
 *       then dropped: the next block reuses the same buffers.</li>
 *   <li>One step of the head's and of each block's own optimizer. Every gradient of the batch was taken
 *       at the weights before the batch (as in the sequential recipe, where block l+1's input is block
 *       l's output before l's step), so steps 1–3 are a pure function of the weights, the examples and
 *       the random numbers ({@link LayerLocalGradients}), which data-parallel workers can compute on
 *       parts of the batch ({@link ForwardForwardGradients}).</li>
 * </ol>
 * With {@link LayerSchedule#GREEDY} the blocks are trained one after the other, each for all epochs
 * (blocks below the one being trained only run forward).
 *
 * <p>Metrics: the batch loss is the sum of the trained blocks' local losses; train accuracy is
 * measured at the end of each epoch on a fixed sample of the training data, and validation loss and
 * accuracy on the validation data, with the model's prediction rule (see {@link ForwardForwardModel}).
 * Listeners see the same events as in backprop training. With the same seed, two runs give the same weights.
 */
public final class ForwardForwardTrainer {
    private final ForwardForwardConfig config;
    private final ForwardForwardGradients gradients;

    /** A trainer for {@code config}. */
    public ForwardForwardTrainer(ForwardForwardConfig config) {
        this(config, null);
    }

    /**
     * A trainer whose steps take their layer-local gradients from {@code gradients} (e.g. data-parallel
     * workers) instead of computing them; null: computes them itself.
     */
    public ForwardForwardTrainer(ForwardForwardConfig config, ForwardForwardGradients gradients) {
        this.config = config;
        this.gradients = gradients;
    }

    /** The configuration this trainer runs. */
    public ForwardForwardConfig config() {
        return config;
    }

    /**
     * Trains the blocks of {@code stack} (its weights are updated in place) on {@code train}.
     * {@code validation} may be null, in which case the training config's validation split (if any) is
     * held out of {@code train}.
     */
    public ForwardForwardResult fit(Model stack, Dataset train, Dataset validation) {
        TrainingConfig tc = config.training();
        if (!train.isClassification()) {
            throw new PropelException("dataset '" + train.name() + "' has no class labels, but Forward-Forward "
                    + "training embeds a class label in each input; use a classification dataset or train with backprop");
        }
        if (validation == null && tc.validationSplit() > 0) {
            Dataset.Split split = train.split(tc.validationSplit(), tc.seed());
            train = split.train();
            validation = split.validation();
        }
        FfStack blocks = FfStack.of(stack);
        checkFeatures(stack, train);
        if (validation != null) checkFeatures(stack, validation);
        Kernels k = stack.kernels();
        int classes = train.classes();
        float strength = Float.isNaN(config.labelStrength()) ? LabelEmbedding.strengthFor(train, k) : config.labelStrength();
        int first = config.firstCountedBlock() >= 0 ? config.firstCountedBlock() : blocks.size() > 1 ? 1 : 0;
        if (first >= blocks.size()) {
            throw new PropelException("Forward-Forward: first counted block " + first + " leaves no block to predict with: "
                    + "the stack has " + blocks.size() + " block(s); use a first counted block below " + blocks.size());
        }
        ForwardForwardSettings settings = new ForwardForwardSettings(classes, strength, config.goodness(), config.threshold(),
                config.rule(), first);
        settings.embedding().requireFits(blocks.inputSize(), "the model's input");
        SoftmaxHead head = config.needsHead() ? new SoftmaxHead(blocks.widthFrom(first), classes) : null;
        ForwardForwardModel model = new ForwardForwardModel(stack, blocks, settings, head);
        Run run = new Run(model, train, validation);
        TrainingHistory history;
        if (gradients == null) {
            history = run.execute(null);
        } else {
            try (ForwardForwardGradients.Steps steps = gradients.open(model, config, train)) {
                history = run.execute(steps);
            }
        }
        return new ForwardForwardResult(model, history, run.activationBytes());
    }

    private static void checkFeatures(Model stack, Dataset data) {
        if (data.featureShape().size() != stack.inputShape().size()) {
            throw new ShapeException("dataset '" + data.name() + "' has examples of shape " + data.featureShape()
                    + " but the model's input is " + stack.inputShape());
        }
    }

    private final class Run implements ForwardForwardRun {
        private final ForwardForwardModel model;
        private final FfStack blocks;
        private final SoftmaxHead head;
        private final Dataset train;
        private final Dataset validation;
        private final Dataset trainSample;
        private final Kernels k;
        private final TrainingConfig tc;
        private final int batch;
        private final int batches;
        private final int cols;
        private final int classes;
        private final List<Optimizer> optimizers = new ArrayList<>();
        private final float[] baseRates;
        private final Optimizer headOptimizer;
        private final float headBaseRate;
        private final int totalEpochs;
        private final LayerLocalGradients pass;
        private String stopReason;
        private final long ownBytes;

        // Per-batch buffers, sized once for a full batch.
        private final float[] features;
        private final float[] targets;
        private final int[] labels;
        private final int[] negLabels;
        private final double[] draws;

        Run(ForwardForwardModel model, Dataset train, Dataset validation) {
            this.model = model;
            this.blocks = model.blocks();
            this.head = model.head();
            this.train = train;
            this.validation = validation;
            this.k = model.stack().kernels();
            this.tc = config.training();
            this.batch = tc.effectiveBatchSize(train.size());
            this.batches = (train.size() + batch - 1) / batch;
            this.cols = blocks.inputSize();
            this.classes = model.settings().classes();
            this.totalEpochs = config.layerSchedule() == LayerSchedule.GREEDY ? tc.epochs() * blocks.size() : tc.epochs();
            this.trainSample = sampleOf(train, config.trainAccuracySamples(), tc.seed());
            Map<Optimizer, Integer> seen = new IdentityHashMap<>();
            for (int b = 0; b < blocks.size(); b++) {
                optimizers.add(distinct(config.optimizer().get(), seen, "block " + b + " (" + blocks.block(b).describe() + ")"));
            }
            this.baseRates = baseRates();
            if (head != null) {
                Optimizer h = (config.headOptimizer() != null ? config.headOptimizer() : config.optimizer()).get();
                this.headOptimizer = distinct(h, seen, "the softmax head");
                this.headBaseRate = Float.isNaN(config.headLearningRate()) ? headOptimizer.learningRate() : config.headLearningRate();
            } else {
                this.headOptimizer = null;
                this.headBaseRate = Float.NaN;
            }
            this.pass = new LayerLocalGradients(model, batch, tc.seed(), config.peerNormalization());
            List<BlockStepListener> blockListeners = tc.listeners().stream()
                    .filter(BlockStepListener.class::isInstance).map(BlockStepListener.class::cast).toList();
            if (!blockListeners.isEmpty()) pass.reportBlockSteps(step -> blockListeners.forEach(l -> l.onBlockStep(this, step)));
            features = new float[batch * cols];
            targets = new float[batch * train.targets().rowSize()];
            labels = new int[batch];
            negLabels = new int[batch];
            draws = new double[batch];
            ownBytes = 4L * (features.length + targets.length) + 16L * batch;
        }

        private Optimizer distinct(Optimizer o, Map<Optimizer, Integer> seen, String owner) {
            if (o == null) throw new PropelException("the optimizer supplier returned null for " + owner);
            if (seen.put(o, seen.size()) != null) {
                throw new PropelException("the optimizer supplier returned the same " + o.typeId() + " instance for "
                        + owner + " as for an earlier block; each Forward-Forward layer needs its own optimizer (its own "
                        + "moments and step count), so give a supplier that creates a new optimizer on every call");
            }
            return o;
        }

        private float[] baseRates() {
            List<Float> given = config.layerLearningRates();
            if (!given.isEmpty() && given.size() != 1 && given.size() != blocks.size()) {
                throw new PropelException("Forward-Forward: " + given.size() + " layer learning rates " + given
                        + " for " + blocks.size() + " blocks; give one rate for all blocks or exactly one per block");
            }
            float[] r = new float[blocks.size()];
            for (int b = 0; b < r.length; b++) {
                r[b] = given.isEmpty() ? optimizers.get(b).learningRate() : given.get(given.size() == 1 ? 0 : b);
            }
            return r;
        }

        private static Dataset sampleOf(Dataset train, int samples, long seed) {
            if (samples == 0) return null;
            if (samples >= train.size()) return train;
            int[] perm = Shuffle.permutation(train.size(), new SplittableRandom(seed ^ 0x5EEDL));
            return train.select(Arrays.copyOf(perm, samples), train.name() + "/accuracy-sample");
        }

        /** The run, with its gradients from {@code steps} or (null) from {@link #pass}. */
        TrainingHistory execute(ForwardForwardGradients.Steps steps) {
            long t0 = System.nanoTime();
            List<TrainingListener> listeners = tc.listeners();
            listeners.forEach(l -> l.onTrainingStart(this));
            SplittableRandom rng = new SplittableRandom(tc.seed());
            int n = train.size();
            int[] order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            List<EpochMetrics> history = new ArrayList<>();
            boolean greedy = config.layerSchedule() == LayerSchedule.GREEDY;
            int phases = greedy ? blocks.size() : 1;
            int globalEpoch = 0;
            long step = 0;
            for (int phase = 0; phase < phases && stopReason == null; phase++) {
                int firstTrained = greedy ? phase : 0;
                int lastTrained = greedy ? phase : blocks.size() - 1;
                for (int epoch = 1; epoch <= tc.epochs() && stopReason == null; epoch++) {
                    globalEpoch++;
                    long e0 = System.nanoTime();
                    int ge = globalEpoch;
                    listeners.forEach(l -> l.onEpochStart(this, ge));
                    if (tc.shuffle()) Shuffle.shuffle(order, rng);
                    float[] rates = new float[blocks.size()];
                    float epochRate = Float.NaN;
                    double lossSum = 0;
                    for (int bi = 0; bi < batches && stopReason == null; bi++) {
                        for (int b = 0; b < rates.length; b++) {
                            rates[b] = tc.schedule().rate(baseRates[b], epoch - 1, bi, batches, tc.epochs());
                        }
                        float headRate = head == null ? Float.NaN : tc.schedule().rate(headBaseRate, epoch - 1, bi, batches, tc.epochs());
                        if (bi == 0) epochRate = rates[firstTrained];
                        int start = bi * batch;
                        int count = Math.min(batch, n - start);
                        train.copyRows(order, start, count, features, targets, labels);
                        step++;
                        boolean random = config.negatives() == NegativeLabels.RANDOM;
                        if (random) {
                            randomNegatives(count, rng);
                        } else {
                            for (int r = 0; r < count; r++) draws[r] = rng.nextDouble();
                        }
                        ForwardForwardGradients.Losses losses = steps != null
                                ? steps.compute(pass.parameters(), new ForwardForwardGradients.Batch(order, start, count, step, firstTrained,
                                        lastTrained, random ? negLabels : null, random ? null : draws))
                                : pass.compute(features, labels, count, count, random ? negLabels : null, random ? null : draws,
                                        firstTrained, lastTrained, step);
                        if (head != null) headStep(losses.head(), headRate, ge, bi);
                        float loss = blockSteps(losses.blocks(), firstTrained, lastTrained, rates, ge, bi);
                        lossSum += (double) loss * count;
                        BatchResult result = new BatchResult(ge, bi, count, loss, rates[firstTrained]);
                        for (TrainingListener l : listeners) l.onBatchEnd(this, result);
                    }
                    Evaluation trainEval = trainSample == null ? null : model.evaluate(trainSample, lastTrained);
                    Evaluation val = validation == null ? null : model.evaluate(validation, lastTrained);
                    EpochMetrics m = new EpochMetrics(ge, (float) (lossSum / n),
                            trainEval == null ? Float.NaN : trainEval.accuracy(),
                            val == null ? Float.NaN : val.loss(), val == null ? Float.NaN : val.accuracy(),
                            epochRate, (System.nanoTime() - e0) / 1e9, n);
                    history.add(m);
                    for (TrainingListener l : listeners) l.onEpochEnd(this, m);
                }
            }
            TrainingHistory h = new TrainingHistory(history,
                    stopReason == null ? "completed " + totalEpochs + " epochs" : stopReason, (System.nanoTime() - t0) / 1e9);
            for (TrainingListener l : listeners) l.onTrainingEnd(this, h);
            return h;
        }

        @Override
        public long activationBytes() {
            return pass.bytes() + ownBytes;
        }

        /** One step of the softmax head, whose gradient {@link #pass} (or the gradient source) computed with the batch's. */
        private void headStep(float loss, float rate, int epoch, int bi) {
            if (!Float.isFinite(loss)) {
                throw new TrainingDivergedException(epoch, bi, "the softmax head of the Forward-Forward model", "its loss is " + loss);
            }
            List<Parameter> params = pass.headParameters();
            Gradients.requireFinite(params, k, epoch, bi, p -> "the softmax head");
            Gradients.clipToNorm(params, k, tc.clipNorm());
            headOptimizer.step(params, rate, k);
        }

        private void randomNegatives(int count, SplittableRandom rng) {
            for (int r = 0; r < count; r++) negLabels[r] = (labels[r] + 1 + rng.nextInt(classes - 1)) % classes;
        }

        /**
         * One step of each of blocks firstTrained..lastTrained, from the gradients computed at the weights
         * before the batch (a block's input was taken before the block below stepped, so stepping all
         * blocks after computing all gradients is the same as the sequential recipe). Returns the summed loss.
         */
        private float blockSteps(float[] losses, int firstTrained, int lastTrained, float[] rates, int epoch, int bi) {
            float total = 0;
            for (int b = firstTrained; b <= lastTrained; b++) {
                FfStack.Block block = blocks.block(b);
                if (!Float.isFinite(losses[b])) {
                    throw new TrainingDivergedException(epoch, bi, "the local loss of block " + b + " (" + block.describe() + ")",
                            "the loss is " + losses[b]);
                }
                List<Parameter> params = pass.blockParameters(b);
                int blockIndex = b;
                Gradients.requireFinite(params, k, epoch, bi, p -> "block " + blockIndex + " (" + block.describe() + ")");
                Gradients.clipToNorm(params, k, tc.clipNorm());
                optimizers.get(b).step(params, rates[b], k);
                total += losses[b];
            }
            return total;
        }

        @Override
        public Model model() {
            return model.stack();
        }

        @Override
        public ForwardForwardModel forwardForwardModel() {
            return model;
        }

        @Override
        public TrainingConfig config() {
            return tc;
        }

        @Override
        public int totalEpochs() {
            return totalEpochs;
        }

        @Override
        public int batchesPerEpoch() {
            return batches;
        }

        @Override
        public int samplesPerEpoch() {
            return train.size();
        }

        @Override
        public void requestStop(String reason) {
            if (stopReason == null) stopReason = reason;
        }
    }
}
