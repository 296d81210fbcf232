package dev.propel.train.ff;

import dev.propel.kernel.Kernels;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The gradient work of one Forward-Forward mini-batch, without the optimizer steps: for some rows of a
 * batch, the softmax head's gradient (after a neutral-label pass), the wrong labels (hard negatives),
 * and every trained block's layer-local gradient from the positive and negative pass — all at the
 * weights before the batch's updates, which is what the trainer's sequential steps see too (block b's
 * output is taken before block b steps, and the head's logits before the head steps). The
 * {@link ForwardForwardTrainer} runs it on the whole batch and then steps; data-parallel workers
 * ({@link ForwardForwardGradients}) run it on their part of a batch and the driver sums their gradients
 * before it steps. Every term is divided by the size of the whole batch, so the parts add up to it.
 *
 * <p>Belongs to one thread; the gradients go into the accumulators of {@link #parameters()}.
 */
public final class LayerLocalGradients {
    private final FfStack blocks;
    private final ForwardForwardSettings settings;
    private final LabelEmbedding embedding;
    private final SoftmaxHead head;
    private final Kernels k;
    private final int cols;
    private final int classes;
    private final ScratchPool pool;
    private final StackPass trainPass;
    private final StackPass inferencePass;
    private final ForwardForwardModel.Scorer neutral;
    private final List<Parameter> parameters;
    private final float peerNormalization;
    private final long ownBytes;
    /** Sees each trained block's local step (for {@link BlockStepListener}s); null: nothing collected. */
    private Consumer<BlockStep> blockSteps;

    private final int[] negLabels;
    private final float[] x;
    private final float[] actA;
    private final float[] actB;
    private final float[] gradY;
    private final float[] goodness;
    private final float[] logits;
    private final float[] lossTargets;
    private final float[] rowFactor;
    private final float[] headLogits;
    private final float[] headProbs;
    private final float[][] meanActivity;
    private final float[] peerTerm;

    /**
     * For batches of up to {@code capacity} rows of {@code model}; {@code seed} seeds layers that draw random
     * numbers in training, as in the trainer; {@code peerNormalization} is the trainer's λ (0 = off).
     */
    public LayerLocalGradients(ForwardForwardModel model, int capacity, long seed, float peerNormalization) {
        this(model, capacity, seed, peerNormalization, new ScratchPool());
    }

    LayerLocalGradients(ForwardForwardModel model, int capacity, long seed, float peerNormalization, ScratchPool pool) {
        this.blocks = model.blocks();
        this.settings = model.settings();
        this.embedding = settings.embedding();
        this.head = model.head();
        this.k = model.stack().kernels();
        this.cols = blocks.inputSize();
        this.classes = settings.classes();
        this.pool = pool;
        this.peerNormalization = peerNormalization;
        this.trainPass = new StackPass(blocks, k, true, seed, pool);
        this.inferencePass = new StackPass(blocks, k, false, seed, pool);
        this.neutral = head == null ? null : model.new Scorer(blocks.size() - 1, capacity, pool);
        List<Parameter> all = new ArrayList<>();
        for (int b = 0; b < blocks.size(); b++) all.addAll(trainPass.parameters(b));
        if (head != null) all.addAll(head.trainableParameters());
        this.parameters = Collections.unmodifiableList(all);
        int rows = 2 * capacity;
        int w = blocks.maxWidth();
        negLabels = new int[capacity];
        x = new float[rows * cols];
        actA = new float[rows * w];
        actB = new float[rows * w];
        gradY = new float[rows * w];
        goodness = new float[rows];
        logits = new float[rows];
        lossTargets = new float[rows];
        rowFactor = new float[rows];
        headLogits = new float[capacity * classes];
        headProbs = new float[capacity * classes];
        if (peerNormalization > 0) {
            meanActivity = new float[blocks.size()][];
            for (int b = 0; b < blocks.size(); b++) {
                meanActivity[b] = new float[blocks.block(b).width()];
                k.fill(meanActivity[b], meanActivity[b].length, 0.5f); // Hinton's starting value
            }
            peerTerm = new float[w];
        } else {
            meanActivity = null;
            peerTerm = null;
        }
        ownBytes = 4L * (x.length + actA.length + actB.length + gradY.length + 4L * rows + 2L * headLogits.length) + 4L * capacity;
    }

    /** Every trainable parameter with its gradient accumulator: block 0's, block 1's, ..., then the softmax head's. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Block {@code b}'s parameters (a part of {@link #parameters()}). */
    List<Parameter> blockParameters(int b) {
        return trainPass.parameters(b);
    }

    /** The softmax head's parameters, or an empty list. */
    List<Parameter> headParameters() {
        return head == null ? List.of() : head.trainableParameters();
    }

    void reportBlockSteps(Consumer<BlockStep> listener) {
        this.blockSteps = listener;
    }

    /** Bytes of the scratch buffers (activations). */
    long bytes() {
        return pool.bytes() + ownBytes;
    }

    /**
     * Fills the gradients of the head (when the model has one) and of blocks {@code firstTrained..lastTrained}
     * for {@code rows} examples of a batch of {@code batchRows}: the examples' raw features (row-major) and
     * labels, and either their wrong labels ({@code negatives}, random negatives) or one uniform number in
     * [0, 1) per example ({@code draws}, hard negatives: the wrong label is sampled with it from the head's
     * prediction). Blocks below {@code firstTrained} only run forward. {@code step} is the trainer's global
     * step (for layers that draw random numbers). Returns the head's and the blocks' losses over these rows,
     * divided by {@code batchRows}: the parts of a batch add up to the batch's losses.
     */
    public ForwardForwardGradients.Losses compute(float[] features, int[] labels, int rows, int batchRows, int[] negatives,
                                                  double[] draws, int firstTrained, int lastTrained, long step) {
        float headLoss = Float.NaN;
        if (head != null) {
            neutral.softmaxScores(features, rows, headLogits);
            headLoss = head.lossAndGradients(k, neutral.headInput(), rows, batchRows, headLogits, labels, headProbs, rowFactor);
        }
        int[] wrong = negatives;
        if (wrong == null) {
            hardNegatives(labels, rows, draws);
            wrong = negLabels;
        }
        float[] blockLosses = blockGradients(features, labels, wrong, rows, batchRows, firstTrained, lastTrained, step);
        return new ForwardForwardGradients.Losses(headLoss, blockLosses);
    }

    /**
     * Samples each wrong label from the head's softmax with the true class suppressed (Hinton's
     * {@code choosefrom(softmax(labin − 1000·targets))}), with the uniform number {@code draws[r]}.
     */
    private void hardNegatives(int[] labels, int rows, double[] draws) {
        if (head == null || draws == null) {
            throw new IllegalArgumentException("hard negatives need the softmax head and one uniform draw per row");
        }
        for (int r = 0; r < rows; r++) headLogits[r * classes + labels[r]] = -1e30f;
        k.softmaxRows(headLogits, headProbs, rows, classes);
        for (int r = 0; r < rows; r++) {
            double u = draws[r];
            double cumulative = 0;
            int chosen = -1;
            int lastWrong = (labels[r] + 1) % classes;
            for (int c = 0; c < classes && chosen < 0; c++) {
                float p = headProbs[r * classes + c];
                if (c != labels[r] && p > 0) lastWrong = c;
                cumulative += p;
                if (u < cumulative && c != labels[r]) chosen = c;
            }
            // Rounding can leave u above the last cumulative sum: that is the last wrong label's share.
            negLabels[r] = chosen >= 0 ? chosen : lastWrong;
        }
    }

    /** Positive and negative pass through blocks 0..lastTrained, with the gradients of blocks firstTrained..lastTrained. */
    private float[] blockGradients(float[] features, int[] labels, int[] wrong, int count, int batchCount, int firstTrained,
                                   int lastTrained, long step) {
        float[] losses = new float[blocks.size()];
        Arrays.fill(losses, Float.NaN);
        int rows = 2 * count;
        embedding.embed(features, count, cols, labels, x, 0);
        embedding.embed(features, count, cols, wrong, x, count);
        RmsNorm.normalizeRows(k, x, rows, cols, x, rowFactor);
        float[] cur = x;
        for (int b = 0; b <= lastTrained; b++) {
            boolean trained = b >= firstTrained;
            FfStack.Block block = blocks.block(b);
            int width = block.width();
            Tensor y = (trained ? trainPass : inferencePass).forward(b, cur, rows, step);
            float[] next = cur == actA ? actB : actA;
            if (b < lastTrained) RmsNorm.normalizeRows(k, y.data(), rows, width, next, rowFactor);
            if (trained) {
                settings.goodness().compute(k, y.data(), rows, width, goodness);
                float theta = settings.goodness().layerThreshold(settings.threshold(), width);
                losses[b] = LocalLoss.lossAndGradient(k, y.data(), rows, width, count, goodness, settings.goodness(),
                        theta, batchCount, gradY, logits, lossTargets, rowFactor);
                if (blockSteps != null) reportBlockStep(block, count, theta, losses[b]);
                if (meanActivity != null) {
                    peerTerm(b, y.data(), count, width);
                    trainPass.backward(b, Tensor.wrap(gradY, y.shape()),
                            dz -> k.addRowVector(dz.data(), count, width, peerTerm));
                } else {
                    trainPass.backward(b, Tensor.wrap(gradY, y.shape()));
                }
            }
            cur = next;
        }
        return losses;
    }

    /**
     * Tells the block-step listener what block b's local loss saw: {@link #goodness} and
     * {@link #logits} {@code z = g − θ} hold the batch's 2·count rows, positives first. The split
     * losses are recomputed by {@link LocalLoss#loss} over each half (so they sum to the step's loss
     * up to rounding).
     */
    private void reportBlockStep(FfStack.Block block, int count, float theta, float loss) {
        float[] gPos = Arrays.copyOfRange(goodness, 0, count);
        float[] gNeg = Arrays.copyOfRange(goodness, count, 2 * count);
        float[] p = new float[2 * count];
        k.sigmoid(logits, p, 2 * count);
        float[] z = new float[count];
        float[] t = new float[count];
        float positive = LocalLoss.loss(k, count, count, gPos, theta, count, z, t);
        float negative = LocalLoss.loss(k, count, 0, gNeg, theta, count, z, t);
        blockSteps.accept(new BlockStep(block.index(), block.describe(), theta, gPos, gNeg,
                Arrays.copyOfRange(p, 0, count), Arrays.copyOfRange(p, count, 2 * count), positive, negative, loss));
    }

    /**
     * Peer normalisation: updates block b's running mean activity from the positive rows of y and
     * writes {@code λ·(m_j − m̄)·2/P} into {@link #peerTerm}. The running mean is this object's state,
     * which is why data-parallel workers (each seeing a part of the batch) cannot use it.
     */
    private void peerTerm(int b, float[] y, int count, int width) {
        float[] m = meanActivity[b];
        k.sumRows(y, count, width, peerTerm, false);
        k.scale(0.9f, m, m, width);
        k.axpy(0.1f / count, peerTerm, m, width);
        float mean = k.sum(m, width) / width;
        k.fill(peerTerm, width, -mean);
        k.add(peerTerm, m, peerTerm, width);
        k.scale(peerNormalization * 2f / count, peerTerm, peerTerm, width);
    }
}
