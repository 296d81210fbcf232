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

    public static Evaluation evaluate(Model model, Dataset data) {
        ModelSession session = model.inferenceSession();
        Kernels k = model.kernels();
        int n = data.size();
        int chunk = Math.min(CHUNK, n);
        Shape fShape = data.featureShape();
        int tCols = data.targets().rowSize();
        float[] f = new float[chunk * fShape.size()];
        float[] t = new float[chunk * tCols];
        int[] labels = new int[chunk];
        int[] predicted = new int[chunk];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < n; start += chunk) {
            int count = Math.min(chunk, n - start);
            data.copyRows(order, start, count, f, t, labels);
            Tensor out = session.forward(Tensor.wrap(f, fShape.withBatch(count)));
            lossSum += (double) model.loss().compute(out, Tensor.wrap(t, Shape.of(count, tCols)), null, k) * count;
            if (data.isClassification()) {
                k.argmaxRows(out.data(), count, out.rowSize(), predicted);
                for (int i = 0; i < count; i++) if (predicted[i] == labels[i]) correct++;
            }
        }
        float accuracy = data.isClassification() ? (float) ((double) correct / n) : Float.NaN;
        return new Evaluation((float) (lossSum / n), accuracy, n);
    }
}
