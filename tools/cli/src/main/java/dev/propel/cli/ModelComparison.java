package dev.propel.cli;

import dev.propel.data.Dataset;
import dev.propel.data.FashionMnist;
import dev.propel.model.Model;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code propel compare} reports about two classifiers on one test set: accuracy and loss,
 * per-class accuracy, confusion matrices, how often they agree and how each fares where they do not,
 * parameter counts, training figures from their files, inference throughput and weight statistics.
 */
record ModelComparison(String data, int examples, List<String> classNames, Side a, Side b, Agreement agreement) {

    /** The figures of one model. {@code confusion[t][p]} counts examples of true class t predicted as p. */
    record Side(ComparedModel model, float accuracy, float loss, float[] perClassAccuracy, int[][] confusion, int[] predictions,
                double examplesPerSecond, List<WeightStats> weights) {
    }

    /**
     * {@code agree} examples get the same class from both; on the {@code disagree} others, A is right on
     * {@code aRight}, B on {@code bRight}, neither on {@code bothWrong}.
     */
    record Agreement(int agree, int disagree, int aRight, int bRight, int bothWrong) {
        float rate() {
            return (float) agree / Math.max(1, agree + disagree);
        }

        float aAccuracyWhereDisagree() {
            return disagree == 0 ? Float.NaN : (float) aRight / disagree;
        }

        float bAccuracyWhereDisagree() {
            return disagree == 0 ? Float.NaN : (float) bRight / disagree;
        }
    }

    /** Statistics of one parameter tensor. */
    record WeightStats(String name, List<Integer> shape, long count, double mean, double std, double min, double max, double l2) {
    }

    /** Examples of the warm-up pass that lets the JIT compile the kernels before throughput is timed. */
    private static final int WARM_UP = Model.PREDICT_ROWS;

    static ModelComparison compute(ComparedModel a, ComparedModel b, Dataset test, String dataName) {
        if (!test.isClassification()) {
            throw new IllegalArgumentException("dataset '" + dataName + "' has no class labels; propel compare compares classifiers");
        }
        Side sa = side(a, test);
        Side sb = side(b, test);
        int agree = 0, aRight = 0, bRight = 0, bothWrong = 0;
        int[] labels = test.labels();
        for (int i = 0; i < labels.length; i++) {
            if (sa.predictions()[i] == sb.predictions()[i]) {
                agree++;
            } else {
                boolean ar = sa.predictions()[i] == labels[i];
                boolean br = sb.predictions()[i] == labels[i];
                if (ar) aRight++;
                if (br) bRight++;
                if (!ar && !br) bothWrong++;
            }
        }
        Agreement agreement = new Agreement(agree, labels.length - agree, aRight, bRight, bothWrong);
        return new ModelComparison(dataName, test.size(), classNames(test.classes()), sa, sb, agreement);
    }

    /** Fashion-MNIST's names for 10 classes, else "0", "1", .... */
    static List<String> classNames(int classes) {
        if (classes == FashionMnist.CLASSES) return FashionMnist.CLASS_NAMES;
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) names.add(Integer.toString(c));
        return names;
    }

    private static Side side(ComparedModel m, Dataset test) {
        Tensor features = test.features();
        int n = test.size();
        int classes = test.classes();
        m.scorer().scores().apply(features.contiguous().slice(0, 0, Math.min(WARM_UP, n)));
        long t0 = System.nanoTime();
        Tensor scores = m.scorer().scores().apply(features);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (scores.rows() != n || scores.rowSize() != classes) {
            throw new ShapeException(m.name() + " gives " + scores.shape() + " scores for " + n + " examples of " + classes
                    + " classes; expected [" + n + ", " + classes + "]: the model was not trained on this data");
        }
        float loss = m.scorer().loss().apply(scores, test);
        int[] predicted = new int[n];
        int[][] confusion = new int[classes][classes];
        float[] s = scores.data();
        int correct = 0;
        int[] perClassTotal = new int[classes];
        int[] perClassRight = new int[classes];
        int[] labels = test.labels();
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (s[i * classes + c] > s[i * classes + best]) best = c;
            predicted[i] = best;
            confusion[labels[i]][best]++;
            perClassTotal[labels[i]]++;
            if (best == labels[i]) {
                correct++;
                perClassRight[labels[i]]++;
            }
        }
        float[] perClass = new float[classes];
        for (int c = 0; c < classes; c++) perClass[c] = perClassTotal[c] == 0 ? Float.NaN : (float) perClassRight[c] / perClassTotal[c];
        return new Side(m, (float) correct / n, loss, perClass, confusion, predicted, n / Math.max(seconds, 1e-9), weightStats(m.weights()));
    }

    static List<WeightStats> weightStats(Map<String, Tensor> weights) {
        List<WeightStats> stats = new ArrayList<>();
        weights.forEach((name, t) -> {
            float[] d = t.data();
            int n = t.size();
            double sum = 0, sq = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double v = d[i];
                sum += v;
                sq += v * v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double mean = n == 0 ? 0 : sum / n;
            double var = n == 0 ? 0 : Math.max(0, sq / n - mean * mean);
            List<Integer> shape = new ArrayList<>();
            for (int dim : t.shape().dims()) shape.add(dim);
            stats.add(new WeightStats(name, shape, n, mean, Math.sqrt(var), n == 0 ? 0 : min, n == 0 ? 0 : max, Math.sqrt(sq)));
        });
        return stats;
    }
}
