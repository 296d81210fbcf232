package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.data.Dataset;
import dev.propel.data.TrainTest;
import dev.propel.model.Model;
import dev.propel.spi.Optimizer;
import dev.propel.train.BatchResult;
import dev.propel.train.Evaluator;
import dev.propel.train.GradientDescent;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingListener;
import dev.propel.train.TrainingRun;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code propel trace --compare-descent}: the same network (same initial weights) trained with batch,
 * stochastic and mini-batch gradient descent for the same number of updates, by the {@link Trainer}.
 * After every update the loss on a fixed set of test examples is measured, so the curves are comparable
 * per update and per example seen (the loss of a one-example batch alone would be mostly noise).
 */
final class DescentComparison {
    private DescentComparison() {
    }

    /** A variant: {@code batch}, {@code stochastic} or {@code mini-batch:N}. */
    record Variant(String name, GradientDescent mode, int batchSize) {
    }

    /** After update {@code update}: examples seen so far, the loss of the update's batch and on the evaluation examples. */
    record Update(int update, long examplesSeen, float batchLoss, float evalLoss) {
    }

    record Run(Variant variant, int examplesPerUpdate, List<Update> updates) {
    }

    record Result(int trainExamples, int evalExamples, float initialEvalLoss, List<Run> runs) {
    }

    /** "batch,stochastic,mini-batch:32"; {@code error} makes the exception for a bad entry. */
    static List<Variant> parse(String text, Function<String, RuntimeException> error) {
        List<Variant> variants = new ArrayList<>();
        for (String raw : text.split(",")) {
            String v = raw.trim().toLowerCase(Locale.ROOT);
            if (v.equals("batch")) {
                variants.add(new Variant(v, GradientDescent.BATCH, 0));
            } else if (v.equals("stochastic")) {
                variants.add(new Variant(v, GradientDescent.STOCHASTIC, 1));
            } else if (v.startsWith("mini-batch:")) {
                int n;
                try {
                    n = Integer.parseInt(v.substring("mini-batch:".length()));
                } catch (NumberFormatException e) {
                    throw error.apply("'" + raw.trim() + "' needs a whole batch size, e.g. mini-batch:32");
                }
                if (n < 1) throw error.apply("'" + raw.trim() + "': the batch size must be at least 1");
                variants.add(new Variant(v, GradientDescent.MINI_BATCH, n));
            } else {
                throw error.apply("unknown variant '" + raw.trim() + "'; expected batch, stochastic or mini-batch:N (e.g. mini-batch:32)");
            }
        }
        return variants;
    }

    /** Trains a fresh model and optimizer for each variant, {@code steps} updates each, with the same seed. */
    static Result run(List<Variant> variants, int steps, long seed, Supplier<Model> model, Supplier<Optimizer> optimizer, TrainTest data,
                      int evalExamples, PrintStream err) {
        Dataset eval = data.test().head(evalExamples);
        Dataset train = data.train();
        float initial = Float.NaN;
        List<Run> runs = new ArrayList<>();
        for (Variant v : variants) {
            Model m = model.get();
            if (runs.isEmpty()) initial = Evaluator.evaluate(m, eval).loss();
            List<Update> updates = new ArrayList<>();
            TrainingListener recorder = new TrainingListener() {
                private long seen;

                @Override
                public void onBatchEnd(TrainingRun run, BatchResult batch) {
                    seen += batch.size();
                    updates.add(new Update(updates.size() + 1, seen, batch.loss(), Evaluator.evaluate(run.model(), eval).loss()));
                    if (updates.size() >= steps) run.requestStop("compared " + steps + " updates");
                }
            };
            // Every epoch has at least one update, so `steps` epochs are enough; the recorder stops the run after `steps` updates.
            TrainingConfig config = TrainingConfig.builder().mode(v.mode()).batchSize(Math.max(1, v.batchSize())).seed(seed)
                    .epochs(steps).listener(recorder).build();
            int perUpdate = config.effectiveBatchSize(train.size());
            err.println("compare-descent: " + v.name() + ", " + perUpdate + " example" + (perUpdate == 1 ? "" : "s") + " per update, "
                    + steps + " updates");
            new Trainer(config).fit(m, optimizer.get(), train, null);
            runs.add(new Run(v, perUpdate, List.copyOf(updates)));
        }
        return new Result(train.size(), eval.size(), initial, List.copyOf(runs));
    }

    /** A table per variant at updates 1, 2, 5, 10, 20, 50, … and the last. */
    static String text(Result r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "loss on %d test examples after each update (%d training examples); before training: %.5f%n",
                r.evalExamples(), r.trainExamples(), r.initialEvalLoss()));
        for (Run run : r.runs()) {
            sb.append(String.format(Locale.ROOT, "%n%s (%d example%s per update)%n%8s %14s %12s %12s%n", run.variant().name(),
                    run.examplesPerUpdate(), run.examplesPerUpdate() == 1 ? "" : "s", "update", "examples seen", "batch loss", "test loss"));
            for (Update u : run.updates()) {
                if (shown(u.update()) || u.update() == run.updates().size()) {
                    sb.append(String.format(Locale.ROOT, "%8d %,14d %12.5f %12.5f%n", u.update(), u.examplesSeen(), u.batchLoss(), u.evalLoss()));
                }
            }
        }
        return sb.toString().stripTrailing();
    }

    /** 1, 2, 5, 10, 20, 50, 100, …: a few rows per decade. */
    private static boolean shown(int update) {
        int decade = 1;
        while (decade * 10 <= update) decade *= 10;
        return update == decade || update == 2 * decade || update == 5 * decade;
    }

    static ObjectNode toJson(Result r) {
        ObjectNode root = Json.object();
        root.put("train_examples", r.trainExamples());
        root.put("eval_examples", r.evalExamples());
        Json.putMetric(root, "initial_eval_loss", r.initialEvalLoss());
        ArrayNode variants = root.putArray("variants");
        for (Run run : r.runs()) {
            ObjectNode v = variants.addObject();
            v.put("variant", run.variant().name());
            v.put("examples_per_update", run.examplesPerUpdate());
            ArrayNode updates = v.putArray("updates");
            for (Update u : run.updates()) {
                ObjectNode o = updates.addObject();
                o.put("update", u.update());
                o.put("examples_seen", u.examplesSeen());
                Json.putMetric(o, "batch_loss", u.batchLoss());
                Json.putMetric(o, "eval_loss", u.evalLoss());
            }
        }
        return root;
    }
}
