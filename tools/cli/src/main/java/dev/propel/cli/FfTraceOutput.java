package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.tensor.Tensor;
import dev.propel.train.ff.BlockStep;

import java.util.Locale;
import java.util.Map;

/**
 * {@code propel trace --algorithm forward-forward}, as text (one block per layer and step: the goodness and
 * p(positive) of every positive and negative example, the local loss of each pass) or as JSON:
 * {@code {"algorithm": "forward-forward", "optimizer", "initial_parameters", "steps": [{"step", "batch_size",
 * "learning_rate", "loss", "layers": [{"block", "layers", "threshold", "positive": {"goodness", "p_positive",
 * "loss"}, "negative": {…}, "loss"}], "parameters_after"}]}}.
 */
final class FfTraceOutput {
    private final StringBuilder sb = new StringBuilder();
    private final int digits;
    private final int maxValues;

    private FfTraceOutput(int digits, int maxValues) {
        this.digits = digits;
        this.maxValues = maxValues;
    }

    static ObjectNode toJson(FfTraceRecorder.Trace trace) {
        ObjectNode root = Json.object();
        root.put("algorithm", "forward-forward");
        root.put("optimizer", trace.optimizer());
        root.set("initial_parameters", TraceJson.tensors(trace.initialParameters()));
        ArrayNode steps = root.putArray("steps");
        for (FfTraceRecorder.Step step : trace.steps()) {
            ObjectNode s = steps.addObject();
            s.put("step", step.number());
            s.put("batch_size", step.batchSize());
            s.put("learning_rate", step.learningRate());
            s.put("loss", step.loss());
            ArrayNode layers = s.putArray("layers");
            for (BlockStep b : step.blocks()) {
                ObjectNode o = layers.addObject();
                o.put("block", b.block());
                o.put("layers", b.description());
                o.put("threshold", b.threshold());
                o.set("positive", pass(b.positiveGoodness(), b.positiveProbability(), b.positiveLoss()));
                o.set("negative", pass(b.negativeGoodness(), b.negativeProbability(), b.negativeLoss()));
                o.put("loss", b.loss());
            }
            s.set("parameters_after", TraceJson.tensors(step.parametersAfter()));
        }
        return root;
    }

    private static ObjectNode pass(float[] goodness, float[] probability, float loss) {
        ObjectNode o = Json.object();
        o.set("goodness", TraceJson.tensor(Tensor.of(goodness, goodness.length)));
        o.set("p_positive", TraceJson.tensor(Tensor.of(probability, probability.length)));
        o.put("loss", loss);
        return o;
    }

    /** The trace with numbers to {@code digits} decimals, at most {@code maxValues} examples and parameter values per list. */
    static String render(FfTraceRecorder.Trace trace, int digits, int maxValues) {
        FfTraceOutput t = new FfTraceOutput(digits, maxValues);
        for (FfTraceRecorder.Step step : trace.steps()) t.step(trace, step);
        return t.sb.toString();
    }

    private void step(FfTraceRecorder.Trace trace, FfTraceRecorder.Step step) {
        line("step %d: %d positive examples (true label) and %d negative ones (a wrong label), %s, learning rate %s",
                step.number(), step.batchSize(), step.batchSize(), trace.optimizer(), Float.toString(step.learningRate()));
        for (BlockStep b : step.blocks()) {
            line("  layer %d (%s): goodness g = Σ y², p(positive) = σ(g − θ), θ = %s", b.block(), b.description(), number(b.threshold()));
            line("    %-9s %14s %14s   %14s %14s", "example", "g positive", "p(positive)", "g negative", "p(positive)");
            int n = b.positiveGoodness().length;
            for (int i = 0; i < Math.min(n, maxValues); i++) {
                line("    #%-8d %14s %14s   %14s %14s", i + 1, number(b.positiveGoodness()[i]), number(b.positiveProbability()[i]),
                        number(b.negativeGoodness()[i]), number(b.negativeProbability()[i]));
            }
            if (n > maxValues) line("    … (%d more examples)", n - maxValues);
            line("    local loss: positive pass %s + negative pass %s = %s", number(b.positiveLoss()), number(b.negativeLoss()),
                    number(b.loss()));
        }
        line("  loss (sum over layers) = %s", number(step.loss()));
        line("  parameters after the update");
        for (Map.Entry<String, Tensor> e : step.parametersAfter().entrySet()) {
            Tensor before = (step.number() == 1 ? trace.initialParameters() : trace.steps().get(step.number() - 2).parametersAfter())
                    .get(e.getKey());
            line("    %s %s: %s", e.getKey(), e.getValue().shape(), changes(before, e.getValue()));
        }
        sb.append('\n');
    }

    /** "0.01234 → 0.01200, -0.00321 → -0.00310, … (4,000 more)". */
    private String changes(Tensor before, Tensor after) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < Math.min(after.size(), maxValues); i++) {
            l.append(i == 0 ? "" : ", ").append(number(before.data()[i])).append(" → ").append(number(after.data()[i]));
        }
        if (after.size() > maxValues) l.append(String.format(Locale.ROOT, ", … (%,d more)", after.size() - maxValues));
        return l.toString();
    }

    private String number(float v) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private void line(String format, Object... args) {
        sb.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
