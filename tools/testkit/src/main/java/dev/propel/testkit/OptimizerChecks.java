package dev.propel.testkit;

import dev.propel.Propel;
import dev.propel.kernel.Kernels;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerSpec;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.model.ModelSpec;
import dev.propel.model.SavedModel;
import dev.propel.spi.AttributeException;
import dev.propel.spi.AttributeSpec;
import dev.propel.spi.Attributes;
import dev.propel.spi.Optimizer;
import dev.propel.spi.OptimizerFactory;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.support.BiasLayer;
import dev.propel.testkit.support.ScaleLayer;
import dev.propel.testkit.support.SquaredErrorLoss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The optimizer contracts, one static method each; {@link OptimizerContract} runs them as JUnit
 * tests. They work on the {@link ConvexProblem} (parameters {@code layer_0.weight} [3, 17] and
 * {@code layer_0.bias} [5], objective ½Σa(w − c)²). Each throws a {@link ContractFailure} naming the
 * contract, the case and the numbers.
 */
public final class OptimizerChecks {
    private static final Failures F = new Failures("optimizer");
    private static final int ROUND_TRIP_STEPS = 5;
    private static final int SAVED_AFTER = 2;

    private OptimizerChecks() {
    }

    /** Runs every optimizer contract on {@code c}. */
    public static void all(Propel propel, OptimizerCase c) {
        identity(propel, c);
        descent(propel, c);
        stateRoundTrip(propel, c);
        learningRateHonoured(propel, c);
        attributeErrors(propel, c);
        determinism(propel, c);
        saveLoadRoundTrip(propel, c);
    }

    /**
     * The optimizer reports its type id and exactly the resolved attributes (what the formats save),
     * a finite positive learning rate, no steps and, before its first step, no state.
     */
    public static void identity(Propel propel, OptimizerCase c) {
        String contract = "identity";
        OptimizerFactory factory = factory(propel, c, contract);
        if (factory.description() == null || factory.description().isBlank()) {
            throw F.fail(contract, c.toString(), "the factory's description() is blank; give one line for 'propel plugins'");
        }
        for (AttributeSpec spec : factory.schema().specs()) {
            if (spec.description().isBlank()) {
                throw F.fail(contract, c.toString(), "attribute '" + spec.name() + "' has a blank description");
            }
        }
        Optimizer o = create(propel, c, contract);
        Attributes resolved = factory.schema().resolve(owner(c), c.orderedAttributes());
        if (!factory.typeId().equals(o.typeId())) {
            throw F.fail(contract, c.toString(), "typeId() is '" + o.typeId() + "' but its factory's is '" + factory.typeId() + "'");
        }
        if (!resolved.equals(o.attributes())) {
            throw F.fail(contract, c.toString(), "attributes() is " + o.attributes() + " but the resolved attributes are "
                    + resolved + "; return them unchanged, the formats save them to recreate the optimizer");
        }
        if (!(o.learningRate() > 0) || Float.isInfinite(o.learningRate())) {
            throw F.fail(contract, c.toString(), "learningRate() is " + o.learningRate() + "; it must be finite and > 0");
        }
        if (o.stepCount() != 0 || !o.state().isEmpty()) {
            throw F.fail(contract, c.toString(), "a new optimizer has step count " + o.stepCount() + " and state "
                    + o.state().keySet() + "; expected 0 and no state");
        }
    }

    /**
     * Descent on a convex problem: after the case's number of steps at the configured learning rate,
     * the objective ½Σa(w − c)² is at most the case's fraction of its initial value, and every
     * parameter is finite.
     */
    public static void descent(Propel propel, OptimizerCase c) {
        String contract = "descent";
        Optimizer o = create(propel, c, contract);
        ConvexProblem problem = new ConvexProblem(c.seed());
        double initial = problem.objective();
        double best = initial;
        for (int s = 0; s < c.descentSteps(); s++) {
            problem.step(o, o.learningRate(), propel.kernels());
            best = Math.min(best, problem.objective());
        }
        double last = problem.objective();
        if (!(last <= c.descentRatio() * initial)) {
            throw F.fail(contract, c.toString(), "after " + c.descentSteps() + " steps at learning rate " + o.learningRate()
                    + " the convex objective ½Σa(w − c)² is " + (float) last + ", " + percent(last / initial)
                    + " of its initial " + (float) initial + " (lowest on the way " + (float) best + "); expected at most "
                    + percent(c.descentRatio()) + ". Check the sign and scale of the update, or give the case a larger"
                    + " learning rate or more steps with descent(steps, ratio)");
        }
        if (o.stepCount() != c.descentSteps()) {
            throw F.fail(contract, c.toString(), "stepCount() is " + o.stepCount() + " after " + c.descentSteps() + " steps");
        }
    }

    /**
     * State save and restore: running 5 steps straight, and running 2 steps, copying
     * {@code state()} and {@code stepCount()}, loading them into a fresh optimizer and running 3
     * more, end with bitwise equal parameters, state and step counts. State entries are named
     * {@code "<parameter>/<slot>"}, and {@code loadState} copies what it is given.
     */
    public static void stateRoundTrip(Propel propel, OptimizerCase c) {
        String contract = "state round trip";
        String subject = c.toString();
        Kernels k = propel.kernels();
        ConvexProblem straight = new ConvexProblem(c.seed());
        Optimizer a = create(propel, c, contract);
        for (int s = 0; s < ROUND_TRIP_STEPS; s++) straight.step(a, a.learningRate(), k);

        ConvexProblem resumed = new ConvexProblem(c.seed());
        Optimizer b = create(propel, c, contract);
        for (int s = 0; s < SAVED_AFTER; s++) resumed.step(b, b.learningRate(), k);
        List<String> names = resumed.names();
        for (String key : b.state().keySet()) {
            int slash = key.lastIndexOf('/');
            if (slash < 0 || !names.contains(key.substring(0, slash)) || slash == key.length() - 1) {
                throw F.fail(contract, subject, "state entry '" + key + "' is not named '<parameter>/<slot>' with one of the"
                        + " parameters " + names);
            }
        }
        Map<String, Tensor> saved = new LinkedHashMap<>();
        b.state().forEach((key, t) -> saved.put(key, t.copy()));
        Map<String, Tensor> savedCopy = new LinkedHashMap<>();
        saved.forEach((key, t) -> savedCopy.put(key, t.copy()));
        Optimizer fresh = create(propel, c, contract);
        fresh.loadState(saved, b.stepCount());
        if (fresh.stepCount() != SAVED_AFTER) {
            throw F.fail(contract, subject, "stepCount() is " + fresh.stepCount() + " after loadState(state, "
                    + SAVED_AFTER + ")");
        }
        for (int s = SAVED_AFTER; s < ROUND_TRIP_STEPS; s++) resumed.step(fresh, fresh.learningRate(), k);
        try {
            List<Tensor> expected = straight.values();
            List<Tensor> actual = resumed.values();
            for (int i = 0; i < expected.size(); i++) {
                TensorAsserts.assertBitwiseEqual("parameter '" + names.get(i) + "' after " + ROUND_TRIP_STEPS
                        + " steps with state saved and restored after " + SAVED_AFTER, expected.get(i), actual.get(i));
            }
            if (!a.state().keySet().equals(fresh.state().keySet())) {
                throw new AssertionError("the state entries are " + fresh.state().keySet() + " after restoring but "
                        + a.state().keySet() + " without");
            }
            for (Map.Entry<String, Tensor> e : a.state().entrySet()) {
                TensorAsserts.assertBitwiseEqual("state '" + e.getKey() + "' after restoring", e.getValue(),
                        fresh.state().get(e.getKey()));
            }
            for (Map.Entry<String, Tensor> e : savedCopy.entrySet()) {
                TensorAsserts.assertBitwiseEqual("the tensor given to loadState as '" + e.getKey()
                        + "' (loadState must copy it, not keep it)", e.getValue(), saved.get(e.getKey()));
            }
        } catch (AssertionError e) {
            throw F.wrap(contract, subject, e);
        }
        if (a.stepCount() != ROUND_TRIP_STEPS || fresh.stepCount() != ROUND_TRIP_STEPS) {
            throw F.fail(contract, subject, "stepCount() is " + a.stepCount() + " straight and " + fresh.stepCount()
                    + " restored after " + ROUND_TRIP_STEPS + " steps");
        }
    }

    /**
     * The learning rate passed to {@code step} (the scheduled one) is used: a step at rate 0 changes
     * no parameter but counts as a step, and a NaN or negative rate is refused with an
     * {@link IllegalArgumentException} naming the optimizer, before anything changes.
     */
    public static void learningRateHonoured(Propel propel, OptimizerCase c) {
        String contract = "learning rate";
        String subject = c.toString();
        Kernels k = propel.kernels();
        ConvexProblem problem = new ConvexProblem(c.seed());
        Optimizer o = create(propel, c, contract);
        problem.step(o, o.learningRate(), k);
        List<Tensor> before = problem.values();
        problem.step(o, 0f, k);
        try {
            for (int i = 0; i < before.size(); i++) {
                TensorAsserts.assertBitwiseEqual("parameter '" + problem.names().get(i) + "' after a step at learning rate 0"
                        + " (the rate given to step(), which schedules set, must be used)", before.get(i),
                        problem.values().get(i));
            }
        } catch (AssertionError e) {
            throw F.wrap(contract, subject, e);
        }
        if (o.stepCount() != 2) {
            throw F.fail(contract, subject, "stepCount() is " + o.stepCount() + " after two steps");
        }
        for (float bad : new float[] {Float.NaN, -0.5f}) {
            IllegalArgumentException e = F.expectThrows(contract, subject, IllegalArgumentException.class,
                    "step at learning rate " + bad, "check the rate before changing anything",
                    () -> problem.step(o, bad, k));
            F.requireMentions(contract, subject, e, List.of(c.typeId()), "the optimizer");
            if (o.stepCount() != 2) {
                throw F.fail(contract, subject, "stepCount() is " + o.stepCount() + " after a refused step at rate " + bad
                        + "; a refused step must change nothing");
            }
            try {
                for (int i = 0; i < before.size(); i++) {
                    TensorAsserts.assertBitwiseEqual("parameter '" + problem.names().get(i) + "' after a refused step at rate "
                            + bad, before.get(i), problem.values().get(i));
                }
            } catch (AssertionError err) {
                throw F.wrap(contract, subject, err);
            }
        }
    }

    /**
     * Attribute validation: each {@link OptimizerCase#rejects} case fails with an
     * {@link AttributeException} naming the optimizer and the given fragments; an unknown attribute
     * and a missing required attribute are refused naming the attribute.
     */
    public static void attributeErrors(Propel propel, OptimizerCase c) {
        OptimizerFactory factory = factory(propel, c, "attribute errors");
        F.attributeErrors(c.toString(), c.typeId(), c.typeId(), c.orderedAttributes(), c.invalid(), factory.schema().specs(),
                attributes -> factory.create(factory.schema().resolve(owner(c), attributes)));
    }

    /**
     * Determinism: two optimizers made from the same attributes, run on the same problem, and the
     * same run on kernels with 1 or 4 threads, end with bitwise equal parameters and state.
     */
    public static void determinism(Propel propel, OptimizerCase c) {
        String contract = "determinism";
        List<Tensor> first = run(propel, c, propel.kernels(), contract);
        compare(contract, c.toString(), "a second optimizer made from the same attributes", first,
                run(propel, c, propel.kernels(), contract));
        try (Kernels one = Testkit.kernels(1); Kernels four = Testkit.kernels(Testkit.THREADS)) {
            compare(contract, c.toString(), "the same run on " + Testkit.THREADS + " kernel threads instead of 1",
                    run(propel, c, one, contract), run(propel, c, four, contract));
        }
    }

    /**
     * Save → load round trip with the formats: a model ({@code testkit_scale} → {@code testkit_bias}
     * on 17 features) trained for 2 steps is saved with its optimizer state as a protobuf and as a
     * JSON file; the optimizer each file restores has the same type, attributes, step count and
     * bitwise the same state, and 3 more steps from the loaded model end bitwise where 3 more steps of
     * the original end. The file records the plugin that provides the type.
     */
    public static void saveLoadRoundTrip(Propel propel, OptimizerCase c) {
        String contract = "save/load round trip";
        String subject = c.toString();
        RoundTrips.requireSupport(propel, F, contract, subject);
        ModelSpec spec = new ModelSpec(List.of(17), List.of(LayerSpec.of(ScaleLayer.TYPE), LayerSpec.of(BiasLayer.TYPE)),
                ComponentSpec.of(SquaredErrorLoss.TYPE), new ComponentSpec(c.typeId(), c.orderedAttributes()));
        Model model = propel.build(spec, c.seed());
        Optimizer optimizer = create(propel, c, contract);
        SplittableRandom rng = new SplittableRandom(c.seed());
        Tensor x = RandomTensors.normal(rng, 5, 17);
        Tensor t = RandomTensors.normal(rng, 5, 17);
        train(model, optimizer, x, t, SAVED_AFTER);
        SavedModel saved = SavedModel.builder(propel, model).optimizer(optimizer, true).build();
        Map<String, LoadedModel> loaded = RoundTrips.saveAndLoad(propel, saved, F, contract, subject);
        train(model, optimizer, x, t, ROUND_TRIP_STEPS - SAVED_AFTER);
        for (Map.Entry<String, LoadedModel> e : loaded.entrySet()) {
            String via = "the optimizer restored from its " + e.getKey() + " file";
            Optimizer restored;
            try {
                restored = e.getValue().optimizer(propel);
            } catch (RuntimeException err) {
                throw F.fail(contract, subject, "restoring " + via + " failed: " + err.getMessage(), err);
            }
            if (!restored.typeId().equals(c.typeId()) || !restored.attributes().equals(optimizer.attributes())
                    || restored.stepCount() != SAVED_AFTER) {
                throw F.fail(contract, subject, via + " is '" + restored.typeId() + "' " + restored.attributes() + " at step "
                        + restored.stepCount() + " but '" + c.typeId() + "' " + optimizer.attributes() + " at step "
                        + SAVED_AFTER + " was saved");
            }
            train(e.getValue().model(), restored, x, t, ROUND_TRIP_STEPS - SAVED_AFTER);
            try {
                for (Map.Entry<String, Tensor> p : model.parameters().entrySet()) {
                    TensorAsserts.assertBitwiseEqual("parameter '" + p.getKey() + "' after " + ROUND_TRIP_STEPS
                            + " steps, resumed after " + SAVED_AFTER + " from " + via, p.getValue(),
                            e.getValue().model().parameters().get(p.getKey()));
                }
                for (Map.Entry<String, Tensor> s : optimizer.state().entrySet()) {
                    TensorAsserts.assertBitwiseEqual("state '" + s.getKey() + "' of " + via + " after " + ROUND_TRIP_STEPS
                            + " steps", s.getValue(), restored.state().get(s.getKey()));
                }
            } catch (AssertionError err) {
                throw F.wrap(contract, subject, err);
            }
            RoundTrips.requireProviderRecorded(propel, c.typeId(), e.getValue(), via, F, contract, subject);
        }
    }

    /** {@code steps} steps of full-batch training on {@code x → t} with a fresh training session. */
    private static void train(Model model, Optimizer optimizer, Tensor x, Tensor t, int steps) {
        ModelSession session = model.trainingSession(1);
        for (int s = 0; s < steps; s++) {
            Tensor y = session.forward(x);
            Tensor g = Tensor.zeros(y.shape());
            model.loss().compute(y, t, g, model.kernels());
            session.zeroGradients();
            session.backward(g);
            optimizer.step(session.parameters(), optimizer.learningRate(), model.kernels());
        }
    }

    /** Parameters and then state tensors after {@link #ROUND_TRIP_STEPS} steps. */
    private static List<Tensor> run(Propel propel, OptimizerCase c, Kernels kernels, String contract) {
        ConvexProblem problem = new ConvexProblem(c.seed());
        Optimizer o = create(propel, c, contract);
        for (int s = 0; s < ROUND_TRIP_STEPS; s++) problem.step(o, o.learningRate(), kernels);
        List<Tensor> out = problem.values();
        o.state().values().forEach(t -> out.add(t.copy()));
        return out;
    }

    private static void compare(String contract, String subject, String what, List<Tensor> expected, List<Tensor> actual) {
        if (expected.size() != actual.size()) {
            throw F.fail(contract, subject, what + " has " + actual.size() + " parameter and state tensors instead of "
                    + expected.size());
        }
        try {
            for (int i = 0; i < expected.size(); i++) {
                TensorAsserts.assertBitwiseEqual("tensor " + i + " (parameters, then state) of " + what, expected.get(i),
                        actual.get(i));
            }
        } catch (AssertionError e) {
            throw F.wrap(contract, subject, e);
        }
    }

    private static OptimizerFactory factory(Propel propel, OptimizerCase c, String contract) {
        try {
            return propel.optimizerFactory(c.typeId());
        } catch (IllegalArgumentException e) {
            throw F.fail(contract, c.toString(), e.getMessage(), e);
        }
    }

    private static Optimizer create(Propel propel, OptimizerCase c, String contract) {
        OptimizerFactory factory = factory(propel, c, contract);
        try {
            return factory.create(factory.schema().resolve(owner(c), c.orderedAttributes()));
        } catch (RuntimeException e) {
            throw F.fail(contract, c.toString(), "creating the optimizer failed: " + e, e);
        }
    }

    private static String owner(OptimizerCase c) {
        return "optimizer '" + c.typeId() + "'";
    }

    private static String percent(double ratio) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", 100 * ratio);
    }
}
