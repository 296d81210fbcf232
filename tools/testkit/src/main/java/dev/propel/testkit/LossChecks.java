package dev.propel.testkit;

import dev.propel.Propel;
import dev.propel.kernel.Kernels;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerSpec;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.model.SavedModel;
import dev.propel.spi.AttributeException;
import dev.propel.spi.AttributeSpec;
import dev.propel.spi.Attributes;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.support.ScaleLayer;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The loss contracts, one static method each; {@link LossContract} runs them as JUnit tests. Each
 * throws a {@link ContractFailure} naming the contract, the case and the numbers. Losses are made as
 * a model makes them: through the registry's factory with attributes resolved by the schema.
 */
public final class LossChecks {
    private static final Failures F = new Failures("loss");

    private LossChecks() {
    }

    /** Runs every loss contract on {@code c}. */
    public static void all(Propel propel, LossCase c) {
        identity(propel, c);
        gradients(propel, c);
        wrongShapesRejected(propel, c);
        attributeErrors(propel, c);
        determinism(propel, c);
        concurrentUse(propel, c);
        saveLoadRoundTrip(propel, c);
    }

    /**
     * The loss reports its type id and exactly the resolved attributes (what the formats save), and a
     * loss recreated from {@code attributes()} computes bitwise the same value and gradient.
     */
    public static void identity(Propel propel, LossCase c) {
        String contract = "identity";
        LossFactory factory = factory(propel, c, contract);
        if (factory.description() == null || factory.description().isBlank()) {
            throw F.fail(contract, c.toString(), "the factory's description() is blank; give one line for 'propel plugins'");
        }
        for (AttributeSpec spec : factory.schema().specs()) {
            if (spec.description().isBlank()) {
                throw F.fail(contract, c.toString(), "attribute '" + spec.name() + "' has a blank description");
            }
        }
        Loss loss = create(propel, c, contract);
        Attributes resolved = factory.schema().resolve(owner(c), c.orderedAttributes());
        if (!factory.typeId().equals(loss.typeId())) {
            throw F.fail(contract, c.toString(), "typeId() is '" + loss.typeId() + "' but its factory's is '"
                    + factory.typeId() + "'");
        }
        if (!resolved.equals(loss.attributes())) {
            throw F.fail(contract, c.toString(), "attributes() is " + loss.attributes() + " but the resolved attributes are "
                    + resolved + "; return them unchanged, the formats save them to recreate the loss");
        }
        Loss again = factory.create(factory.schema().resolve(owner(c), loss.attributes().asMap()));
        for (int[] dims : c.shapes()) {
            Inputs in = Inputs.draw(c, dims, 1);
            compare(contract, subject(c, dims), "the loss recreated from attributes()",
                    Result.compute(loss, in, propel.kernels()), Result.compute(again, in, propel.kernels()));
        }
    }

    /**
     * The gradient with respect to the predictions agrees with central finite differences of the
     * loss value, for every shape (see {@link GradientCheck} for the tolerance). Also: every gradient
     * element is written, the value is the same with and without a gradient, and the inputs are left
     * unchanged. One shape must have a size and a last axis that are not multiples of 8.
     */
    public static void gradients(Propel propel, LossCase c) {
        String contract = "gradients";
        boolean tail = false;
        for (int[] dims : c.shapes()) tail |= Testkit.hasTail(dims);
        if (!tail) {
            throw F.fail(contract, c.toString(), "every shape has a size or a last axis that is a multiple of "
                    + Testkit.VECTOR_BLOCK + ", so the kernels' tail handling is never checked; add a shape such as [3, 17]");
        }
        Loss loss = create(propel, c, contract);
        for (int[] dims : c.shapes()) {
            Inputs in = Inputs.draw(c, dims, 2);
            try {
                GradientCheck.loss(loss, in.predictions(), in.targets(), propel.kernels())
                        .tolerance(c.relative(), c.absolute())
                        .epsilon(c.epsilon())
                        .run();
            } catch (AssertionError e) {
                throw F.wrap(contract, subject(c, dims), e);
            }
        }
    }

    /**
     * Targets of another shape (last axis one longer) and a gradient tensor of the wrong size are
     * refused with a {@link ShapeException} naming the loss type and the offending shape.
     */
    public static void wrongShapesRejected(Propel propel, LossCase c) {
        String contract = "wrong shapes";
        Loss loss = create(propel, c, contract);
        Kernels k = propel.kernels();
        for (int[] dims : c.shapes()) {
            String subject = subject(c, dims);
            Inputs in = Inputs.draw(c, dims, 3);
            int[] longer = dims.clone();
            longer[longer.length - 1]++;
            Tensor badTargets = Tensor.zeros(longer);
            ShapeException e = F.expectThrows(contract, subject, ShapeException.class,
                    "compute with predictions " + in.predictions().shape() + " and targets " + badTargets.shape(),
                    "check that the targets have the predictions' shape and throw a ShapeException naming both",
                    () -> loss.compute(in.predictions(), badTargets, null, k));
            F.requireMentions(contract, subject, e, List.of(c.typeId(), in.predictions().shape().toString(),
                    badTargets.shape().toString()), "the loss and both shapes");
            Tensor badGradient = Tensor.zeros(longer);
            ShapeException g = F.expectThrows(contract, subject, ShapeException.class,
                    "compute with a gradient tensor of shape " + badGradient.shape() + " for predictions "
                            + in.predictions().shape(),
                    "check that the gradient tensor holds one value per prediction",
                    () -> loss.compute(in.predictions(), in.targets(), badGradient, k));
            F.requireMentions(contract, subject, g, List.of(c.typeId(), badGradient.shape().toString()),
                    "the loss and the gradient's shape");
        }
    }

    /**
     * Attribute validation: each {@link LossCase#rejects} case fails with an
     * {@link AttributeException} naming the loss and the given fragments; an unknown attribute and a
     * missing required attribute are refused naming the attribute.
     */
    public static void attributeErrors(Propel propel, LossCase c) {
        LossFactory factory = factory(propel, c, "attribute errors");
        F.attributeErrors(c.toString(), c.typeId(), c.typeId(), c.orderedAttributes(), c.invalid(), factory.schema().specs(),
                attributes -> factory.create(factory.schema().resolve(owner(c), attributes)));
    }

    /**
     * Determinism: two losses made from the same attributes, a repeated call, and kernels with 1 or 4
     * threads all give bitwise the same value and gradient.
     */
    public static void determinism(Propel propel, LossCase c) {
        String contract = "determinism";
        Loss a = create(propel, c, contract);
        Loss b = create(propel, c, contract);
        for (int[] dims : c.shapes()) {
            String subject = subject(c, dims);
            Inputs in = Inputs.draw(c, dims, 4);
            Result first = Result.compute(a, in, propel.kernels());
            compare(contract, subject, "a second loss made from the same attributes", first, Result.compute(b, in, propel.kernels()));
            compare(contract, subject, "a repeated call", first, Result.compute(a, in, propel.kernels()));
            try (Kernels one = Testkit.kernels(1); Kernels four = Testkit.kernels(Testkit.THREADS)) {
                compare(contract, subject, "the same call on " + Testkit.THREADS + " kernel threads instead of 1",
                        Result.compute(a, in, one), Result.compute(a, in, four));
            }
        }
    }

    /**
     * Concurrent use: one loss used by four threads at once (evaluation can run beside training), each
     * with its own inputs, gives bitwise the same values and gradients as the same calls one after
     * another. Scratch space must be per call or per thread.
     */
    public static void concurrentUse(Propel propel, LossCase c) {
        String contract = "concurrent use";
        Loss loss = create(propel, c, contract);
        for (int[] dims : c.shapes()) {
            String subject = subject(c, dims);
            Inputs[] inputs = new Inputs[Testkit.THREADS];
            Result[] sequential = new Result[Testkit.THREADS];
            for (int t = 0; t < inputs.length; t++) {
                inputs[t] = Inputs.draw(c, dims, 100 + t);
                sequential[t] = Result.compute(loss, inputs[t], propel.kernels());
            }
            List<Result[]> concurrent = Concurrently.run(Testkit.THREADS, t -> {
                Result[] runs = new Result[5];
                for (int r = 0; r < runs.length; r++) runs[r] = Result.compute(loss, inputs[t], propel.kernels());
                return runs;
            });
            for (int t = 0; t < inputs.length; t++) {
                for (Result r : concurrent.get(t)) {
                    compare(contract, subject, "calls on " + Testkit.THREADS + " threads at once (thread " + t + ")",
                            sequential[t], r);
                }
            }
        }
    }

    /**
     * Save → load round trip: a model with this loss is saved as a protobuf and as a JSON file and
     * loaded back; each loaded loss has the same type and attributes, computes bitwise the same value
     * and gradient, and the file records the plugin that provides the type.
     */
    public static void saveLoadRoundTrip(Propel propel, LossCase c) {
        String contract = "save/load round trip";
        RoundTrips.requireSupport(propel, F, contract, c.toString());
        for (int[] dims : c.shapes()) {
            String subject = subject(c, dims);
            int[] perSample = java.util.Arrays.copyOfRange(dims, 1, dims.length);
            ModelSpec spec = new ModelSpec(RoundTrips.list(perSample), List.of(LayerSpec.of(ScaleLayer.TYPE)),
                    ComponentSpec.of(c.typeId(), c.orderedAttributes()), null);
            Model model;
            try {
                model = propel.build(spec, c.seed());
            } catch (RuntimeException e) {
                throw F.fail(contract, subject, "building a model with the loss failed: " + e.getMessage(), e);
            }
            Inputs in = Inputs.draw(c, dims, 13);
            Result expected = Result.compute(model.loss(), in, propel.kernels());
            SavedModel saved = SavedModel.builder(propel, model).build();
            for (Map.Entry<String, LoadedModel> e : RoundTrips.saveAndLoad(propel, saved, F, contract, subject).entrySet()) {
                String via = "the loss loaded from its " + e.getKey() + " file";
                Loss loaded = e.getValue().model().loss();
                if (!loaded.typeId().equals(c.typeId()) || !loaded.attributes().equals(model.loss().attributes())) {
                    throw F.fail(contract, subject, via + " is '" + loaded.typeId() + "' " + loaded.attributes() + " but '"
                            + c.typeId() + "' " + model.loss().attributes() + " was saved");
                }
                compare(contract, subject, via, expected, Result.compute(loaded, in, propel.kernels()));
                RoundTrips.requireProviderRecorded(propel, c.typeId(), e.getValue(), via, F, contract, subject);
            }
        }
    }

    record Inputs(Tensor predictions, Tensor targets) {
        static Inputs draw(LossCase c, int[] dims, long salt) {
            SplittableRandom rng = new SplittableRandom(c.seed() * 1_000_003L + salt);
            return new Inputs(c.predictions().draw(rng, dims), c.targets().draw(rng, dims));
        }
    }

    record Result(float value, Tensor gradient) {
        static Result compute(Loss loss, Inputs in, Kernels kernels) {
            Tensor g = Tensor.zeros(in.predictions().shape());
            float v = loss.compute(in.predictions(), in.targets(), g, kernels);
            return new Result(v, g);
        }
    }

    private static void compare(String contract, String subject, String what, Result expected, Result actual) {
        if (Float.floatToRawIntBits(expected.value()) != Float.floatToRawIntBits(actual.value())) {
            throw F.fail(contract, subject, "the value of " + what + " is " + actual.value() + " but expected exactly "
                    + expected.value());
        }
        try {
            TensorAsserts.assertBitwiseEqual("gradient of " + what, expected.gradient(), actual.gradient());
        } catch (AssertionError e) {
            throw F.wrap(contract, subject, e);
        }
    }

    private static LossFactory factory(Propel propel, LossCase c, String contract) {
        try {
            return propel.lossFactory(c.typeId());
        } catch (IllegalArgumentException e) {
            throw F.fail(contract, c.toString(), e.getMessage(), e);
        }
    }

    private static Loss create(Propel propel, LossCase c, String contract) {
        LossFactory factory = factory(propel, c, contract);
        try {
            return factory.create(factory.schema().resolve(owner(c), c.orderedAttributes()));
        } catch (RuntimeException e) {
            throw F.fail(contract, c.toString(), "creating the loss failed: " + e, e);
        }
    }

    private static String owner(LossCase c) {
        return "loss '" + c.typeId() + "'";
    }

    private static String subject(LossCase c, int[] dims) {
        return c.typeId() + " " + c.orderedAttributes() + ", predictions " + Testkit.shapeOf(dims);
    }
}
