package dev.propel.cli;

import dev.propel.train.EpochMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** The console form of {@code propel compare}: aligned tables, two models side by side. */
final class CompareConsole {
    private CompareConsole() {
    }

    static String render(ModelComparison c) {
        ModelComparison.Side a = c.a();
        ModelComparison.Side b = c.b();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Comparison on %s (%,d test examples)%n%n", c.data(), c.examples()));

        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"", a.model().name(), b.model().name()});
        rows.add(new String[]{"algorithm", a.model().algorithm(), b.model().algorithm()});
        rows.add(new String[]{"prediction", a.model().rule(), b.model().rule()});
        rows.add(new String[]{"test accuracy", f4(a.accuracy()), f4(b.accuracy())});
        rows.add(new String[]{"test loss", f4(a.loss()), f4(b.loss())});
        rows.add(new String[]{"parameters", count(a.model().parameterCount()), count(b.model().parameterCount())});
        rows.add(new String[]{"layers", ModelSummary.layerCount(a.model().summary()), ModelSummary.layerCount(b.model().summary())});
        rows.add(new String[]{"training epochs", epochs(a), epochs(b)});
        rows.add(new String[]{"training time", trainTime(a), trainTime(b)});
        rows.add(new String[]{"peak heap in training", memory(a, ComparedModel.Training::peakLiveHeapBytes),
                memory(b, ComparedModel.Training::peakLiveHeapBytes)});
        rows.add(new String[]{"activation memory", memory(a, ComparedModel.Training::activationBytes),
                memory(b, ComparedModel.Training::activationBytes)});
        rows.add(new String[]{"inference", throughput(a), throughput(b)});
        table(sb, rows, true);

        List<String[]> settings = ModelSummary.settingRows(a.model().summary(), b.model().summary());
        if (!settings.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%nTraining settings%n"));
            settings.addFirst(new String[]{"", a.model().name(), b.model().name()});
            table(sb, settings, true);
        }

        ModelComparison.Agreement g = c.agreement();
        sb.append(String.format(Locale.ROOT, "%nAgreement: both predict the same class for %,d of %,d examples (%.1f%%).%n",
                g.agree(), c.examples(), 100 * g.rate()));
        if (g.disagree() > 0) {
            sb.append(String.format(Locale.ROOT, "Where they disagree (%,d examples): %s is right on %.1f%%, %s on %.1f%%, both wrong on %.1f%%.%n",
                    g.disagree(), a.model().name(), 100 * g.aAccuracyWhereDisagree(), b.model().name(), 100 * g.bAccuracyWhereDisagree(),
                    100.0 * g.bothWrong() / g.disagree()));
        }

        sb.append(String.format(Locale.ROOT, "%nPer-class accuracy%n"));
        List<String[]> pc = new ArrayList<>();
        pc.add(new String[]{"class", a.model().name(), b.model().name(), "difference"});
        for (int k = 0; k < c.classNames().size(); k++) {
            pc.add(new String[]{k + " " + c.classNames().get(k), f4(a.perClassAccuracy()[k]), f4(b.perClassAccuracy()[k]),
                    signed(a.perClassAccuracy()[k] - b.perClassAccuracy()[k])});
        }
        table(sb, pc, true);

        confusion(sb, c, a);
        confusion(sb, c, b);
        weights(sb, a);
        weights(sb, b);
        return sb.toString();
    }

    private static void confusion(StringBuilder sb, ModelComparison c, ModelComparison.Side s) {
        sb.append(String.format(Locale.ROOT, "%nConfusion matrix of %s (rows: true class, columns: predicted class)%n", s.model().name()));
        int k = c.classNames().size();
        List<String[]> rows = new ArrayList<>();
        String[] head = new String[k + 1];
        head[0] = "";
        for (int j = 0; j < k; j++) head[j + 1] = Integer.toString(j);
        rows.add(head);
        for (int i = 0; i < k; i++) {
            String[] r = new String[k + 1];
            r[0] = i + " " + c.classNames().get(i);
            for (int j = 0; j < k; j++) r[j + 1] = Integer.toString(s.confusion()[i][j]);
            rows.add(r);
        }
        table(sb, rows, true);
    }

    private static void weights(StringBuilder sb, ModelComparison.Side s) {
        sb.append(String.format(Locale.ROOT, "%nWeights of %s%n", s.model().name()));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"tensor", "shape", "count", "mean", "std", "min", "max", "L2 norm"});
        for (ModelComparison.WeightStats w : s.weights()) {
            rows.add(new String[]{w.name(), w.shape().toString(), count(w.count()), g(w.mean()), g(w.std()), g(w.min()), g(w.max()),
                    g(w.l2())});
        }
        table(sb, rows, true);
    }

    /** Left-aligns the first column, right-aligns the others; a rule under the header row. */
    static void table(StringBuilder sb, List<String[]> rows, boolean header) {
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        for (String[] r : rows) for (int j = 0; j < cols; j++) width[j] = Math.max(width[j], r[j].length());
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < cols; j++) {
                if (j > 0) line.append("  ");
                String pad = " ".repeat(width[j] - r[j].length());
                line.append(j == 0 ? r[j] + pad : pad + r[j]);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (header && i == 0) {
                int total = 0;
                for (int w : width) total += w;
                sb.append("-".repeat(total + 2 * (cols - 1))).append('\n');
            }
        }
    }

    static String f4(float v) {
        return Float.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String signed(float v) {
        return Float.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.4f", v);
    }

    private static String g(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String epochs(ModelComparison.Side s) {
        ComparedModel.Training t = s.model().training();
        return t == null ? "not recorded" : Integer.toString(t.epochs());
    }

    private static String trainTime(ModelComparison.Side s) {
        ComparedModel.Training t = s.model().training();
        if (t == null) return "not recorded";
        double train = 0;
        for (EpochMetrics m : t.metrics()) train += m.seconds();
        return String.format(Locale.ROOT, "%.1f s (%d thread%s)", t.wallSeconds(), t.threads(), t.threads() == 1 ? "" : "s")
                + (train > 0 ? String.format(Locale.ROOT, ", %.1f s/epoch", train / Math.max(1, t.metrics().size())) : "");
    }

    private static String memory(ModelComparison.Side s, ToLongFunction<ComparedModel.Training> figure) {
        return ComparedModel.Training.mebibytes(s.model().training(), figure);
    }

    private static String throughput(ModelComparison.Side s) {
        return String.format(Locale.ROOT, "%,.0f examples/s", s.examplesPerSecond());
    }
}
