package dev.propel.train.ff;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.Model;
import dev.propel.spi.AttributeException;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.train.TrainingConfig;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardForwardModelTest {
    private static final Dataset TRAIN = FfFixtures.blobs("blobs", 400, 4, 12, 1);
    private static final Dataset TEST = FfFixtures.blobs("blobs-test", 100, 4, 12, 2);

    private static ForwardForwardResult train(Propel propel, NegativeLabels negatives, PredictionRule rule) {
        Model stack = FfFixtures.stack(propel, 12, 3, 10, 8);
        ForwardForwardConfig c = ForwardForwardConfig.builder(TrainingConfig.builder().epochs(2).batchSize(20).seed(1).build(),
                FfFixtures.sgd(propel, 0.01f, 0.9f)).negatives(negatives).rule(rule).trainAccuracySamples(0).build();
        return new ForwardForwardTrainer(c).fit(stack, TRAIN, null);
    }

    @Test
    void goodnessScoresAreTheSummedLayerLogitsOfTheCountedBlocks() {
        try (Propel propel = FfFixtures.propel()) {
            ForwardForwardModel m = train(propel, NegativeLabels.RANDOM, PredictionRule.GOODNESS).model();
            float[] x = TEST.features().toArray();
            Tensor scores = m.scores(Tensor.wrap(x, Shape.of(100, 12)));
            Map<String, Tensor> p = m.stack().parameters();
            for (int ex = 0; ex < 3; ex++) {
                for (int c = 0; c < 4; c++) {
                    double[] in = new double[12];
                    for (int j = 0; j < 12; j++) in[j] = x[ex * 12 + j];
                    java.util.Arrays.fill(in, 0, 4, 0);
                    in[c] = 1; // label strength of this data
                    double[] h1 = relu(affine(normalise(in), p.get("dense_0.weight"), p.get("dense_0.bias")));
                    double[] h2 = relu(affine(normalise(h1), p.get("dense_2.weight"), p.get("dense_2.bias")));
                    double g2 = 0;
                    for (double v : h2) g2 += v * v;
                    // Block 0 is not counted; block 1's logit is g − θ·width with θ = 1.
                    assertEquals(g2 - 8, scores.get(ex, c), 1e-4 * (1 + Math.abs(g2)), "example " + ex + ", label " + c);
                }
            }
        }
    }

    @Test
    void scoresOfAViewAreThoseOfItsOwnRows() {
        try (Propel propel = FfFixtures.propel()) {
            ForwardForwardModel m = train(propel, NegativeLabels.RANDOM, PredictionRule.GOODNESS).model();
            Tensor rows = TEST.features().slice(0, 40, 25); // shares the array at an offset
            assertArrayEquals(m.scores(rows.copy()).toArray(), m.scores(rows).toArray());
            assertArrayEquals(m.predictClasses(rows.copy()), m.predictClasses(rows));
        }
    }

    private static double[] normalise(double[] v) {
        double ms = 0;
        for (double d : v) ms += d * d;
        double f = 1 / Math.sqrt(ms / v.length);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] * f;
        return out;
    }

    private static double[] affine(double[] x, Tensor w, Tensor b) {
        int out = b.size();
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = b.data()[o];
            for (int i = 0; i < x.length; i++) s += x[i] * w.data()[i * out + o];
            y[o] = s;
        }
        return y;
    }

    private static double[] relu(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.max(0, v[i]);
        return out;
    }

    /** What a model file keeps: the stack's weights, the settings as attributes, and the head's tensors. */
    private static ForwardForwardModel saveAndLoad(Propel propel, ForwardForwardModel trained) {
        Map<String, Object> attributes = new LinkedHashMap<>(trained.settings().toAttributes());
        Map<String, Tensor> stackWeights = new LinkedHashMap<>();
        trained.stack().parameters().forEach((k, v) -> stackWeights.put(k, v.copy()));
        Map<String, Tensor> head = new LinkedHashMap<>();
        trained.headParameters().forEach((k, v) -> head.put(k, v.copy()));

        Model fresh = FfFixtures.stack(propel, 12, 99, 10, 8); // other initial weights, overwritten below
        fresh.loadParameters(stackWeights);
        return ForwardForwardModel.restore(fresh, ForwardForwardSettings.fromAttributes("test file", attributes), head);
    }

    @Test
    void predictionRuleSurvivesSaveAndLoad() {
        try (Propel propel = FfFixtures.propel()) {
            for (PredictionRule rule : PredictionRule.values()) {
                ForwardForwardModel trained = train(propel, NegativeLabels.HARD, rule).model();
                ForwardForwardModel loaded = saveAndLoad(propel, trained);
                assertEquals(rule, loaded.rule());
                assertEquals(trained.settings(), loaded.settings());
                assertArrayEquals(trained.scores(TEST.features()).toArray(), loaded.scores(TEST.features()).toArray(), rule.id());
                assertArrayEquals(trained.predictClasses(TEST.features()), loaded.predictClasses(TEST.features()));
                assertEquals(trained.evaluate(TEST), loaded.evaluate(TEST));
                assertEquals(trained.parameterCount(), loaded.parameterCount());
            }
            ForwardForwardModel plain = saveAndLoad(propel, train(propel, NegativeLabels.RANDOM, PredictionRule.GOODNESS).model());
            assertEquals(Map.of(), plain.headParameters());
        }
    }

    @Test
    void theTwoRulesReallyDiffer() {
        try (Propel propel = FfFixtures.propel()) {
            ForwardForwardModel m = train(propel, NegativeLabels.HARD, PredictionRule.GOODNESS).model();
            float[] goodness = m.scores(TEST.features()).toArray();
            float[] softmax = m.withRule(PredictionRule.SOFTMAX).scores(TEST.features()).toArray();
            assertTrue(!java.util.Arrays.equals(goodness, softmax));
        }
    }

    @Test
    void settingsRoundTripAndBadSavedSettingsAreExplained() {
        ForwardForwardSettings s = new ForwardForwardSettings(10, 1f, Goodness.MEAN, 2f, PredictionRule.SOFTMAX, 1);
        assertEquals(s, ForwardForwardSettings.fromAttributes("x", s.toAttributes()));
        Map<String, Object> bad = new LinkedHashMap<>(s.toAttributes());
        bad.put("goodness", "max");
        AttributeException e = assertThrows(AttributeException.class, () -> ForwardForwardSettings.fromAttributes("model file 'ff.pb'", bad));
        assertTrue(e.getMessage().contains("model file 'ff.pb'") && e.getMessage().contains("goodness"), e.getMessage());
        Map<String, Object> missing = new LinkedHashMap<>(s.toAttributes());
        missing.remove("classes");
        AttributeException e2 = assertThrows(AttributeException.class, () -> ForwardForwardSettings.fromAttributes("f", missing));
        assertTrue(e2.getMessage().contains("'classes'") && e2.getMessage().contains("required"), e2.getMessage());
    }

    @Test
    void restoreChecksTheHeadAndTheRule() {
        try (Propel propel = FfFixtures.propel()) {
            Model stack = FfFixtures.stack(propel, 12, 3, 10, 8);
            ForwardForwardSettings softmax = new ForwardForwardSettings(4, 1f, Goodness.SUM, 1f, PredictionRule.SOFTMAX, 1);
            IllegalArgumentException noHead = assertThrows(IllegalArgumentException.class,
                    () -> ForwardForwardModel.restore(stack, softmax, Map.of()));
            assertTrue(noHead.getMessage().contains("rule 'softmax' needs the softmax head"), noHead.getMessage());

            Map<String, Tensor> wrongShape = Map.of("ff_head.weight", Tensor.zeros(10, 4), "ff_head.bias", Tensor.zeros(4));
            ShapeException shape = assertThrows(ShapeException.class, () -> ForwardForwardModel.restore(stack, softmax, wrongShape));
            assertTrue(shape.getMessage().contains("ff_head.weight") && shape.getMessage().contains("[8, 4]"), shape.getMessage());

            ForwardForwardSettings far = new ForwardForwardSettings(4, 1f, Goodness.SUM, 1f, PredictionRule.GOODNESS, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ForwardForwardModel.restore(stack, far, Map.of()));
            assertTrue(e.getMessage().contains("first counted block 2") && e.getMessage().contains("2 block(s)"), e.getMessage());

            ForwardForwardModel ok = ForwardForwardModel.restore(stack,
                    new ForwardForwardSettings(4, 1f, Goodness.SUM, 1f, PredictionRule.GOODNESS, 1), Map.of());
            ShapeException input = assertThrows(ShapeException.class, () -> ok.scores(Tensor.zeros(2, 11)));
            assertTrue(input.getMessage().contains("11 features") && input.getMessage().contains("takes 12"), input.getMessage());
        }
    }
}
