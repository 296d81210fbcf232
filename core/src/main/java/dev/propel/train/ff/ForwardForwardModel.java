package dev.propel.train.ff;

import dev.propel.data.Dataset;
import dev.propel.kernel.Kernels;
import dev.propel.model.Model;
import dev.propel.spi.PropelException;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.train.Evaluation;
import dev.propel.train.Evaluator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Forward-Forward network ready to predict: the stack of blocks (a {@link Model}), the
 * {@link ForwardForwardSettings} it was trained with, and — for the softmax rule or when hard
 * negatives were used — the softmax head. Prediction follows {@link ForwardForwardSettings#rule()}.
 *
 * <p><b>Scores.</b> {@link #scores} returns one logit per class. For the goodness rule it is the sum
 * over the counted blocks of each block's own logit {@code g_l − θ_l} with candidate label c embedded
 * (the quantity each layer was trained to make positive for the true label). Its argmax is Hinton's
 * rule "largest summed goodness", since the thresholds are the same for every label; read as a
 * softmax it is a product of the layers' experts. For the softmax rule the scores are the head's
 * logits. {@link #evaluate} reports the accuracy of the argmax and the mean cross-entropy of the
 * softmax of these scores.
 *
 * <p>Thread-safe for prediction (each call has its own buffers), as long as nothing trains it at the same time.
 */
public final class ForwardForwardModel {
    private static final int CHUNK = 500;

    private final Model stack;
    private final FfStack blocks;
    private final ForwardForwardSettings settings;
    private final SoftmaxHead head;

    ForwardForwardModel(Model stack, FfStack blocks, ForwardForwardSettings settings, SoftmaxHead head) {
        this.stack = stack;
        this.blocks = blocks;
        this.settings = settings;
        this.head = head;
        validate();
    }

    /**
     * Re-assembles a saved FF model: its stack (weights already loaded), its settings and the softmax
     * head's parameters ({@code ff_head.weight [inputs, classes]}, {@code ff_head.bias [classes]}), or an
     * empty map when it has no head.
     */
    public static ForwardForwardModel restore(Model stack, ForwardForwardSettings settings, Map<String, Tensor> headParameters) {
        FfStack blocks = FfStack.of(stack);
        SoftmaxHead head = null;
        if (!headParameters.isEmpty()) {
            Tensor w = headParameters.get(SoftmaxHead.WEIGHT);
            Tensor b = headParameters.get(SoftmaxHead.BIAS);
            if (w == null || b == null || headParameters.size() != 2) {
                throw new PropelException("Forward-Forward softmax head: expected the tensors '" + SoftmaxHead.WEIGHT
                        + "' and '" + SoftmaxHead.BIAS + "' but got " + headParameters.keySet());
            }
            checkCounted(blocks, settings);
            int inputs = blocks.widthFrom(settings.firstCountedBlock());
            w.requireShape(Shape.of(inputs, settings.classes()), "Forward-Forward softmax head '" + SoftmaxHead.WEIGHT
                    + "' (counted blocks " + settings.firstCountedBlock() + ".." + (blocks.size() - 1) + " give " + inputs + " inputs)");
            b.requireShape(Shape.of(settings.classes()), "Forward-Forward softmax head '" + SoftmaxHead.BIAS + "'");
            head = new SoftmaxHead(w.copy(), b.copy());
        }
        return new ForwardForwardModel(stack, blocks, settings, head);
    }

    private static void checkCounted(FfStack blocks, ForwardForwardSettings settings) {
        if (settings.firstCountedBlock() >= blocks.size()) {
            throw new PropelException("Forward-Forward: first counted block " + settings.firstCountedBlock()
                    + " leaves no block to predict with: the stack has " + blocks.size() + " block(s) (0.." + (blocks.size() - 1)
                    + "); use a first counted block below " + blocks.size());
        }
    }

    private void validate() {
        checkCounted(blocks, settings);
        settings.embedding().requireFits(blocks.inputSize(), "the Forward-Forward stack");
        if (settings.rule() == PredictionRule.SOFTMAX && head == null) {
            throw new PropelException("Forward-Forward prediction rule 'softmax' needs the softmax head, but this model "
                    + "has none (it was trained with the goodness rule and random negatives); use the 'goodness' rule");
        }
        if (head != null && (head.inputs() != blocks.widthFrom(settings.firstCountedBlock()) || head.classes() != settings.classes())) {
            throw new PropelException("Forward-Forward softmax head has " + head.inputs() + " inputs and " + head.classes()
                    + " classes but the counted blocks give " + blocks.widthFrom(settings.firstCountedBlock()) + " and the settings say "
                    + settings.classes() + " classes");
        }
    }

    /** The layer stack as a {@link Model} (its parameters are the blocks'). */
    public Model stack() {
        return stack;
    }

    /** The stack divided into blocks. */
    public FfStack blocks() {
        return blocks;
    }

    /** The label embedding, goodness and prediction settings the model was trained with. */
    public ForwardForwardSettings settings() {
        return settings;
    }

    /** How the model predicts (goodness per label or the softmax head). */
    public PredictionRule rule() {
        return settings.rule();
    }

    /** The softmax head, or null (for the trainer). */
    SoftmaxHead head() {
        return head;
    }

    /** Whether the model has a trained softmax head (hard negatives or the softmax rule). */
    public boolean hasSoftmaxHead() {
        return head != null;
    }

    /** The head's live tensors by name ({@code ff_head.weight}, {@code ff_head.bias}), or an empty map. */
    public Map<String, Tensor> headParameters() {
        return head == null ? Map.of() : Collections.unmodifiableMap(head.parameters());
    }

    /** Every learnable tensor: the stack's and then the head's. */
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> all = new LinkedHashMap<>(stack.parameters());
        all.putAll(headParameters());
        return Collections.unmodifiableMap(all);
    }

    /** Learnable values in all: the stack's parameters and the head's. */
    public long parameterCount() {
        long n = stack.parameterCount();
        for (Tensor t : headParameters().values()) n += t.size();
        return n;
    }

    /** The same network predicting with another rule (the softmax rule needs a head). Shares the weights. */
    public ForwardForwardModel withRule(PredictionRule rule) {
        return rule == settings.rule() ? this : new ForwardForwardModel(stack, blocks, settings.withRule(rule), head);
    }

    /** One logit per class for each example of {@code input} ({@code [n, features...]}): a new {@code [n, classes]} tensor. */
    public Tensor scores(Tensor input) {
        int n = checkInput(input);
        input = input.contiguous(); // the chunks are copied from the array, which a view shares at an offset
        Tensor out = Tensor.zeros(n, settings.classes());
        Scorer scorer = new Scorer(blocks.size() - 1, Math.min(CHUNK, Math.max(n, 1)));
        int cols = blocks.inputSize();
        float[] chunk = new float[Math.min(CHUNK, Math.max(n, 1)) * cols];
        float[] chunkOut = new float[Math.min(CHUNK, Math.max(n, 1)) * settings.classes()];
        for (int start = 0; start < n; start += CHUNK) {
            int count = Math.min(CHUNK, n - start);
            System.arraycopy(input.data(), start * cols, chunk, 0, count * cols);
            scorer.scores(chunk, count, chunkOut);
            System.arraycopy(chunkOut, 0, out.data(), start * settings.classes(), count * settings.classes());
        }
        return out;
    }

    /** The predicted class of each example. */
    public int[] predictClasses(Tensor input) {
        Tensor s = scores(input);
        int[] classes = new int[s.rows()];
        stack.kernels().argmaxRows(s.data(), s.rows(), settings.classes(), classes);
        return classes;
    }

    /**
     * The loss {@link #evaluate} reports for scores from {@link #scores}: the mean over rows of
     * {@code logSumExp(scores_r) − scores_r[label_r]}, the cross-entropy of their softmax.
     */
    public float loss(Tensor scores, int[] labels) {
        int classes = settings.classes();
        if (scores.rowSize() != classes || scores.rows() != labels.length) {
            throw new ShapeException("scores " + scores.shape() + " and " + labels.length + " labels: expected [" + labels.length
                    + ", " + classes + "]");
        }
        return SoftmaxHead.crossEntropy(stack.kernels(), scores.data(), scores.rows(), classes, labels, new float[scores.rows()]);
    }

    /** Accuracy and mean cross-entropy of the scores on a classification dataset. */
    public Evaluation evaluate(Dataset data) {
        return evaluate(data, blocks.size() - 1);
    }

    /** As {@link #evaluate(Dataset)}, using only blocks {@code 0..lastBlock} (for greedy training in progress). */
    Evaluation evaluate(Dataset data, int lastBlock) {
        if (!data.isClassification()) {
            throw new PropelException("dataset '" + data.name() + "' has no class labels; Forward-Forward models classify");
        }
        if (data.classes() > settings.classes()) {
            throw new PropelException("dataset '" + data.name() + "' has " + data.classes() + " classes but the model knows "
                    + settings.classes());
        }
        requireFeatures(data.featureShape().size(), "dataset '" + data.name() + "'");
        int classes = settings.classes();
        Kernels k = stack.kernels();
        int chunk = Math.min(CHUNK, Math.max(data.size(), 1));
        Scorer scorer = new Scorer(lastBlock, chunk);
        float[] s = new float[chunk * classes];
        float[] rowScratch = new float[chunk];
        return Evaluator.inChunks(data, CHUNK, (features, targets, labels, count, predicted) -> {
            scorer.scores(features, count, s);
            k.argmaxRows(s, count, classes, predicted);
            return SoftmaxHead.crossEntropy(k, s, count, classes, labels, rowScratch);
        });
    }

    private int checkInput(Tensor input) {
        if (input.shape().rank() < 1) {
            throw new ShapeException("Forward-Forward input must have a batch dimension followed by " + stack.inputShape()
                    + " but got " + input.shape());
        }
        requireFeatures(input.rowSize(), "input " + input.shape());
        return input.rows();
    }

    private void requireFeatures(int features, String what) {
        if (features != blocks.inputSize()) {
            throw new ShapeException(what + " has " + features + " features per example but the Forward-Forward stack takes "
                    + blocks.inputSize() + " (" + stack.inputShape() + ")");
        }
    }

    /** Per-call state of prediction: an inference pass and its buffers, for chunks of up to {@code capacity} rows. */
    final class Scorer {
        private final int lastBlock;
        private final StackPass pass;
        private final float[] x;
        private final float[] actA;
        private final float[] actB;
        private final float[] concat;
        private final float[] goodness;
        private final float[] total;
        private final float[] rowScratch;

        Scorer(int lastBlock, int capacity) {
            this(lastBlock, capacity, new ScratchPool());
        }

        Scorer(int lastBlock, int capacity, ScratchPool pool) {
            this.lastBlock = settings.rule() == PredictionRule.SOFTMAX ? blocks.size() - 1 : lastBlock;
            this.pass = new StackPass(blocks, stack.kernels(), false, 0, pool);
            int w = blocks.maxWidth();
            this.x = new float[capacity * blocks.inputSize()];
            this.actA = new float[capacity * w];
            this.actB = new float[capacity * w];
            this.concat = head == null ? null : new float[capacity * head.inputs()];
            this.goodness = new float[capacity];
            this.total = new float[capacity];
            this.rowScratch = new float[capacity];
        }

        /** Scores of {@code rows} examples of raw features into {@code out} ({@code rows × classes}). */
        void scores(float[] features, int rows, float[] out) {
            if (settings.rule() == PredictionRule.SOFTMAX) {
                softmaxScores(features, rows, out);
            } else {
                goodnessScores(features, rows, out);
            }
        }

        /** The head's logits after a neutral-label pass; also leaves the head's input in {@link #headInput()}. */
        void softmaxScores(float[] features, int rows, float[] out) {
            neutralPass(features, rows);
            head.logits(stack.kernels(), concat, rows, out);
        }

        float[] headInput() {
            return concat;
        }

        /** Runs the whole stack on the neutral-labelled input, collecting the counted blocks' normalised activities. */
        void neutralPass(float[] features, int rows) {
            Kernels k = stack.kernels();
            int cols = blocks.inputSize();
            settings.embedding().embedNeutral(features, rows, cols, x, 0);
            RmsNorm.normalizeRows(k, x, rows, cols, x, rowScratch);
            float[] cur = x;
            int offset = 0;
            int first = settings.firstCountedBlock();
            for (int b = 0; b < blocks.size(); b++) {
                Tensor y = pass.forward(b, cur, rows, 0);
                int width = blocks.block(b).width();
                float[] next = cur == actA ? actB : actA;
                RmsNorm.normalizeRows(k, y.data(), rows, width, next, rowScratch);
                if (b >= first) {
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(next, r * width, concat, r * head.inputs() + offset, width);
                    }
                    offset += width;
                }
                cur = next;
            }
        }

        private void goodnessScores(float[] features, int rows, float[] out) {
            Kernels k = stack.kernels();
            int cols = blocks.inputSize();
            int classes = settings.classes();
            int first = Math.min(settings.firstCountedBlock(), lastBlock);
            double thresholdSum = 0;
            for (int b = first; b <= lastBlock; b++) {
                int width = blocks.block(b).width();
                thresholdSum += settings.goodness().layerThreshold(settings.threshold(), width);
            }
            for (int c = 0; c < classes; c++) {
                settings.embedding().embedConstant(features, rows, cols, c, x, 0);
                RmsNorm.normalizeRows(k, x, rows, cols, x, rowScratch);
                k.fill(total, rows, 0f);
                float[] cur = x;
                for (int b = 0; b <= lastBlock; b++) {
                    Tensor y = pass.forward(b, cur, rows, 0);
                    int width = blocks.block(b).width();
                    if (b >= first) {
                        settings.goodness().compute(k, y.data(), rows, width, goodness);
                        k.add(total, goodness, total, rows);
                    }
                    if (b < lastBlock) {
                        float[] next = cur == actA ? actB : actA;
                        RmsNorm.normalizeRows(k, y.data(), rows, width, next, rowScratch);
                        cur = next;
                    }
                }
                for (int r = 0; r < rows; r++) out[r * classes + c] = (float) (total[r] - thresholdSum);
            }
        }
    }
}
