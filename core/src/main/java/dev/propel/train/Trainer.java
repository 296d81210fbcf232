package dev.propel.train;

import dev.propel.data.Dataset;
import dev.propel.data.Shuffle;
import dev.propel.kernel.Kernels;
import dev.propel.model.LayerObserver;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.model.Provenance;
import dev.propel.spi.Optimizer;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Backpropagation training: for each batch, forward, loss, backward, gradient checks, clipping and an
 * optimizer step. With the same seed and thread count, two runs give bitwise identical weights.
 */
public final class Trainer {
    private final TrainingConfig config;
    private final LayerObserver observer;
    private final BatchGradients gradients;

    /** A trainer with plain backpropagation gradients. */
    public Trainer(TrainingConfig config) {
        this(config, (LayerObserver) null);
    }

    /** A trainer whose training session shows every layer's tensors to {@code observer} (e.g. {@code propel trace}). */
    public Trainer(TrainingConfig config, LayerObserver observer) {
        this.config = config;
        this.observer = observer;
        this.gradients = null;
    }

    /**
     * A trainer whose steps take their gradients from {@code gradients} (e.g. data-parallel workers)
     * instead of a forward and backward pass of its own; everything else of a step is as in a local run.
     */
    public Trainer(TrainingConfig config, BatchGradients gradients) {
        this.config = config;
        this.observer = null;
        this.gradients = java.util.Objects.requireNonNull(gradients, "gradients");
    }

    /**
     * Trains {@code model} on {@code train}. {@code validation} may be null, in which case the
     * config's validation split (if any) is held out of {@code train}.
     */
    public TrainingHistory fit(Model model, Optimizer optimizer, Dataset train, Dataset validation) {
        Dataset given = train;
        if (validation == null && config.validationSplit() > 0) {
            Dataset.Split split = train.split(config.validationSplit(), config.seed());
            train = split.train();
            validation = split.validation();
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("dataset '" + train.name() + "' has no training examples; training needs at least one"
                    + (config.validationSplit() > 0 ? " left after the validation split" : ""));
        }
        checkCompatible(model, train);
        if (validation != null) checkCompatible(model, validation);
        TrainingHistory history;
        if (gradients == null) {
            history = new Run(model, optimizer, train, validation, null).execute();
        } else {
            try (BatchGradients.Steps steps = gradients.open(model, train)) {
                history = new Run(model, optimizer, train, validation, steps).execute();
            }
        }
        model.recordTraining(record(model.trainingRecord(), Provenance.backprop(config, history, given, model.kernels().threads())));
        return history;
    }

    /**
     * The model's training record after this run: the run after the earlier ones. A run not started with
     * {@link Provenance#resumeConfig} counts its epochs from 0, so the total is shifted to follow the earlier ones.
     */
    private Provenance record(Provenance earlier, Provenance run) {
        if (earlier == null) return run;
        int total = earlier.epochs() + run.epochs() - config.initialEpoch();
        if (total != run.epochs()) {
            run = new Provenance(run.algorithm(), total, run.gradientDescent(), run.batchSize(), run.seed(), run.shuffle(),
                    run.validationSplit(), run.clipNorm(), run.dataset(), run.metrics(), run.wallSeconds(), run.threads(),
                    run.stopReason(), run.settings(), run.schedule());
        }
        return earlier.followedBy(run);
    }

    private static void checkCompatible(Model model, Dataset data) {
        if (data.featureShape().size() != model.inputShape().size()) {
            throw new ShapeException("dataset '" + data.name() + "' has examples of shape " + data.featureShape()
                    + " but the model's input is " + model.inputShape());
        }
        int outputs = model.outputShape().size();
        if (data.targets().rowSize() != outputs) {
            throw new ShapeException("dataset '" + data.name() + "' has " + data.targets().rowSize()
                    + " target values per example (" + (data.isClassification() ? data.classes() + " classes" : "regression")
                    + ") but the model outputs " + model.outputShape() + "; make the last layer produce "
                    + data.targets().rowSize() + " values");
        }
    }

    private final class Run implements TrainingRun {
        private final Model model;
        private final Optimizer optimizer;
        private final Dataset train;
        private final Dataset validation;
        /** The gradient source, or null to compute gradients here. */
        private final BatchGradients.Steps remote;
        private final Kernels k;
        private final int batch;
        private final int batches;
        private String stopReason;
        private ModelSession session;
        private long batchBytes;

        Run(Model model, Optimizer optimizer, Dataset train, Dataset validation, BatchGradients.Steps remote) {
            this.model = model;
            this.optimizer = optimizer;
            this.train = train;
            this.validation = validation;
            this.remote = remote;
            this.k = model.kernels();
            this.batch = config.effectiveBatchSize(train.size());
            this.batches = (train.size() + batch - 1) / batch;
        }

        TrainingHistory execute() {
            long t0 = System.nanoTime();
            List<TrainingListener> listeners = config.listeners();
            listeners.forEach(l -> l.onTrainingStart(this));
            session = model.trainingSession(config.seed());
            session.observe(observer);
            List<Parameter> params = session.parameters();
            ModelSession s = session;
            Function<Parameter, String> owner = p -> "layer '" + s.layerOf(p.name()) + "'";
            SplittableRandom rng = new SplittableRandom(config.seed());
            int n = train.size();
            int[] order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Shape fShape = train.featureShape();
            int tCols = train.targets().rowSize();
            float[] fBuf = new float[batch * fShape.size()];
            float[] tBuf = new float[batch * tCols];
            float[] gBuf = new float[batch * tCols];
            int[] labels = new int[batch];
            int[] predicted = new int[batch];
            batchBytes = 4L * (fBuf.length + tBuf.length + gBuf.length + labels.length + predicted.length);
            // Tensors over the reused buffers, made once: a full batch allocates nothing (only a
            // shorter last batch needs views of its own size).
            Tensor fullX = Tensor.wrap(fBuf, fShape.withBatch(batch));
            Tensor fullTargets = Tensor.wrap(tBuf, Shape.of(batch, tCols));
            Tensor fullGrad = Tensor.wrap(gBuf, Shape.of(batch, tCols));
            boolean batchListeners = !listeners.isEmpty();
            List<EpochMetrics> history = new ArrayList<>();
            // Resume: replay the skipped epochs' shuffles and step count so the run continues exactly.
            for (int e = 1; e <= config.initialEpoch(); e++) {
                if (config.shuffle()) Shuffle.shuffle(order, rng);
            }
            session.setStep((long) config.initialEpoch() * batches);
            LearningRateSchedule schedule = config.schedule();
            if (schedule instanceof ComponentSchedule restored) restored.checkResumesAt(config.initialEpoch(), batches);
            DivergenceWatch divergence = new DivergenceWatch(batches);
            String lossName = "the loss function '" + model.loss().typeId() + "'";
            for (int epoch = config.initialEpoch() + 1; epoch <= config.epochs() && stopReason == null; epoch++) {
                long e0 = System.nanoTime();
                int ep = epoch;
                listeners.forEach(l -> l.onEpochStart(this, ep));
                if (config.shuffle()) Shuffle.shuffle(order, rng);
                float base = optimizer.learningRate();
                float epochRate = schedule.rate(base, epoch - 1, 0, batches, config.epochs());
                double lossSum = 0;
                long correct = 0;
                int seen = 0;
                divergence.startEpoch();
                for (int b = 0; b < batches; b++) {
                    int start = b * batch;
                    int count = Math.min(batch, n - start);
                    float lr = b == 0 ? epochRate : schedule.rate(base, epoch - 1, b, batches, config.epochs());
                    float loss;
                    Tensor out = null;
                    Tensor grad = null;
                    if (remote != null) {
                        BatchGradients.Result r = remote.compute(params, order, start, count);
                        loss = r.loss();
                        correct += r.correct();
                    } else {
                        train.copyRows(order, start, count, fBuf, tBuf, labels);
                        boolean full = count == batch;
                        Tensor x = full ? fullX : Tensor.wrap(fBuf, fShape.withBatch(count));
                        Tensor targets = full ? fullTargets : Tensor.wrap(tBuf, Shape.of(count, tCols));
                        grad = full ? fullGrad : Tensor.wrap(gBuf, Shape.of(count, tCols));
                        out = session.forward(x);
                        loss = model.loss().compute(out, targets, grad, k);
                    }
                    if (!Float.isFinite(loss)) {
                        throw new TrainingDivergedException(epoch, b, lossName, "the loss is " + loss);
                    }
                    divergence.batch(epoch, b, loss, count, lossName);
                    if (remote == null) {
                        if (train.isClassification()) {
                            k.argmaxRows(out.data(), count, out.rowSize(), predicted);
                            for (int i = 0; i < count; i++) if (predicted[i] == labels[i]) correct++;
                        }
                        session.zeroGradients();
                        session.backward(grad);
                    }
                    Gradients.requireFinite(params, k, epoch, b, owner);
                    Gradients.clipToNorm(params, k, config.clipNorm());
                    optimizer.step(params, lr, k);
                    lossSum += (double) loss * count;
                    seen += count;
                    if (batchListeners) {
                        BatchResult result = new BatchResult(epoch, b, count, loss, lr);
                        for (TrainingListener l : listeners) l.onBatchEnd(this, result);
                        // A listener may stop the run after any batch; the epoch's figures then cover the batches run.
                        if (stopReason != null) break;
                    }
                }
                divergence.endEpoch();
                float trainLoss = (float) (lossSum / seen);
                float trainAcc = train.isClassification() ? (float) ((double) correct / seen) : Float.NaN;
                Evaluation val = validation == null ? null : Evaluator.evaluate(model, validation);
                EpochMetrics m = new EpochMetrics(epoch, trainLoss, trainAcc,
                        val == null ? Float.NaN : val.loss(), val == null ? Float.NaN : val.accuracy(),
                        epochRate, (System.nanoTime() - e0) / 1e9, seen);
                history.add(m);
                for (TrainingListener l : listeners) l.onEpochEnd(this, m);
            }
            TrainingHistory h = new TrainingHistory(history, stopReason == null ? "completed " + config.epochs() + " epochs" : stopReason,
                    (System.nanoTime() - t0) / 1e9);
            listeners.forEach(l -> l.onTrainingEnd(this, h));
            return h;
        }

        @Override
        public Model model() {
            return model;
        }

        @Override
        public TrainingConfig config() {
            return config;
        }

        @Override
        public int totalEpochs() {
            return config.epochs();
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

        @Override
        public long activationBytes() {
            return session == null ? 0 : session.bufferBytes() + batchBytes;
        }
    }
}
