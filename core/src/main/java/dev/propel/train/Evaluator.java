package dev.propel.train;

import dev.propel.data.Dataset;
import dev.propel.kernel.Kernels;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

/** Measures a model's loss and accuracy on a dataset, in chunks so memory stays bounded. */
public final class Evaluator {
    private static final int CHUNK = 1000;

    private Evaluator() {
    }

    /** Loss and accuracy of {@code model} on all of {@code data}, in inference mode (no dropout), batch by batch. */
    public static Evaluation evaluate(Model model, Dataset data) {
        ModelSession session = model.inferenceSession();
        Kernels k = model.kernels();
        Shape fShape = data.featureShape();
        int tCols = data.targets().rowSize();
        return inChunks(data, CHUNK, (features, targets, labels, count, predicted) -> {
            Tensor out = session.forward(Tensor.wrap(features, fShape.withBatch(count)));
            if (data.isClassification()) k.argmaxRows(out.data(), count, out.rowSize(), predicted);
            return model.loss().compute(out, Tensor.wrap(targets, Shape.of(count, tCols)), null, k);
        });
    }

    /** Scores one chunk of examples for {@link #inChunks}. */
    @FunctionalInterface
    public interface ChunkScorer {
        /**
         * Predicts the {@code count} examples whose rows are at the start of {@code features},
         * {@code targets} and {@code labels} (class indices, classification data only): writes each
         * predicted class to {@code predicted} (classification data) and returns the chunk's mean loss.
         */
        float score(float[] features, float[] targets, int[] labels, int count, int[] predicted);
    }

    /**
     * Loss and accuracy of {@code scorer}'s predictions over {@code data}, fed in chunks of at most
     * {@code chunk} examples (in dataset order) so memory stays bounded; the loss is the mean over
     * examples, the accuracy NaN for regression data, both NaN for an empty dataset.
     */
    public static Evaluation inChunks(Dataset data, int chunk, ChunkScorer scorer) {
        int n = data.size();
        int size = Math.min(chunk, Math.max(n, 1));
        float[] f = new float[size * data.featureShape().size()];
        float[] t = new float[size * data.targets().rowSize()];
        int[] labels = new int[size];
        int[] predicted = new int[size];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < n; start += size) {
            int count = Math.min(size, n - start);
            data.copyRows(order, start, count, f, t, labels);
            lossSum += (double) scorer.score(f, t, labels, count, predicted) * count;
            if (data.isClassification()) {
                for (int i = 0; i < count; i++) if (predicted[i] == labels[i]) correct++;
            }
        }
        if (n == 0) return new Evaluation(Float.NaN, Float.NaN, 0);
        float accuracy = data.isClassification() ? (float) ((double) correct / n) : Float.NaN;
        return new Evaluation((float) (lossSum / n), accuracy, n);
    }
}
