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
import dev.propel.spi.Layer;
import dev.propel.spi.LayerFactory;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.support.SquaredErrorLoss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The layer contracts, one static method each, usable from any test framework; {@link LayerContract}
 * runs them as JUnit tests. Each throws a {@link ContractFailure} naming the contract, the case and
 * the numbers. Layers are made the way a model makes them: through the registry's factory, with the
 * attributes validated by the type's schema, named {@code "<type>_0"}.
 */
public final class LayerChecks {
    private static final Failures F = new Failures("layer");

    private LayerChecks() {
    }

    /** Runs every layer contract on {@code c}. */
    public static void all(Propel propel, LayerCase c) {
        identity(propel, c);
        shapes(propel, c);
        wrongShapesRejected(propel, c);
        gradients(propel, c);
        inputGradientSkipped(propel, c);
        buffersReused(propel, c);
        attributeErrors(propel, c);
        determinism(propel, c);
        concurrentPasses(propel, c);
        saveLoadRoundTrip(propel, c);
    }

    /**
     * The layer reports what it was made from: its factory's type id, the name and input shape it was
     * given, and exactly the resolved attributes (the formats save these, and loading recreates the
     * layer from them, so recreating from {@code attributes()} must give the same layer). Its
     * {@code parameters()} are live: the same tensor instances on every call, in a stable order.
     */
    public static void identity(Propel propel, LayerCase c) {
        String contract = "identity";
        LayerFactory factory = factory(propel, c, contract);
        if (factory.description() == null || factory.description().isBlank()) {
            throw F.fail(contract, c.toString(), "the factory's description() is blank; give one line for 'propel plugins'");
        }
        for (AttributeSpec spec : factory.schema().specs()) {
            if (spec.description().isBlank()) {
                throw F.fail(contract, c.toString(), "attribute '" + spec.name() + "' has a blank description");
            }
        }
        for (int[] dims : c.inputShapes()) {
            String subject = subject(c, dims);
            Layer layer = create(propel, c, dims, c.seed(), contract);
            Attributes resolved = factory.schema().resolve("layer", c.orderedAttributes());
            requireEqual(contract, subject, "typeId()", factory.typeId(), layer.typeId());
            requireEqual(contract, subject, "name()", c.typeId() + "_0", layer.name());
            requireEqual(contract, subject, "inputShape()", Shape.of(dims), layer.inputShape());
            requireEqual(contract, subject, "attributes() (what the formats save)", resolved, layer.attributes());
            if (layer.outputShape() == null) {
                throw F.fail(contract, subject, "outputShape() is null");
            }
            Map<String, Tensor> first = layer.parameters();
            Map<String, Tensor> second = layer.parameters();
            requireEqual(contract, subject, "the parameter names of two parameters() calls",
                    List.copyOf(first.keySet()), List.copyOf(second.keySet()));
            for (Map.Entry<String, Tensor> p : first.entrySet()) {
                if (second.get(p.getKey()) != p.getValue()) {
                    throw F.fail(contract, subject, "parameters() returned a different tensor for '" + p.getKey()
                            + "' on a second call; return the live tensors, which optimizers update in place and"
                            + " loaders copy saved values into");
                }
                if (p.getKey().contains(".") || p.getKey().contains("/")) {
                    throw F.fail(contract, subject, "parameter name '" + p.getKey() + "' contains '.' or '/', which"
                            + " the model uses to join layer, parameter and optimizer-slot names");
                }
            }
            Layer again = TestLayers.create(factory, layer.attributes().asMap(), Shape.of(dims), c.seed());
            requireEqual(contract, subject, "outputShape() of the layer recreated from attributes()",
                    layer.outputShape(), again.outputShape());
            requireSameParameters(contract, subject, "the layer recreated from attributes() with the same seed",
                    layer, again);
        }
    }

    /**
     * Shape inference: for every input shape and batch size, forward in inference and in training
     * returns {@code [batch, outputShape()...]}, with finite values for finite inputs.
     */
    public static void shapes(Propel propel, LayerCase c) {
        String contract = "shapes";
        Kernels k = propel.kernels();
        for (int[] dims : c.inputShapes()) {
            Layer layer = create(propel, c, dims, c.seed(), contract);
            for (int batch : c.batches()) {
                String subject = subject(c, batchDims(batch, dims));
                Tensor x = input(c, batch, dims, 1);
                Shape expected = layer.outputShape().withBatch(batch);
                for (boolean training : new boolean[] {false, true}) {
                    TestLayerContext ctx = training ? TestLayerContext.training(layer, k) : TestLayerContext.inference(k);
                    Tensor y = layer.forward(x, ctx);
                    String pass = training ? "training forward" : "inference forward";
                    if (y == null || !y.shape().equals(expected)) {
                        throw F.fail(contract, subject, pass + " returned shape " + (y == null ? "null" : y.shape())
                                + " but outputShape() is " + layer.outputShape() + ", so " + expected
                                + " was expected");
                    }
                    int bad = k.firstNonFinite(y.data(), y.size());
                    if (bad >= 0) {
                        throw F.fail(contract, subject, pass + " output element " + TensorAsserts.index(y.shape(), bad)
                                + " is " + y.data()[bad] + " for a finite input");
                    }
                }
            }
        }
    }

    /**
     * The error for a wrong input shape: forward with a per-sample shape whose last axis is one
     * longer, and backward with an output gradient of the wrong size, throw a {@link ShapeException}
     * whose message names the layer and the shape it got. Per-sample shapes declared with
     * {@link LayerCase#rejectsInputShape} are refused by the factory in the same way.
     */
    public static void wrongShapesRejected(Propel propel, LayerCase c) {
        String contract = "wrong shapes";
        Kernels k = propel.kernels();
        for (int[] dims : c.inputShapes()) {
            Layer layer = create(propel, c, dims, c.seed(), contract);
            int batch = 3;
            // One more element on the last axis; a per-sample scalar shape [] gets an extra axis instead.
            int[] wrong = dims.length == 0 ? new int[] {batch, 2} : batchDims(batch, dims);
            if (dims.length > 0) wrong[wrong.length - 1]++;
            String subject = subject(c, batchDims(batch, dims));
            Tensor bad = Tensor.zeros(wrong);
            ShapeException e = F.expectThrows(contract, subject, ShapeException.class,
                    "forward on an input of shape " + bad.shape(),
                    "check the input shape at the start of forward and throw a ShapeException naming the layer,"
                            + " the expected and the actual shape",
                    () -> layer.forward(bad, TestLayerContext.inference(k)));
            F.requireMentions(contract, subject, e, List.of(layer.name(), bad.shape().toString()),
                    "the layer's name and the shape it got");

            TestLayerContext ctx = TestLayerContext.training(layer, k);
            Tensor y = layer.forward(input(c, batch, dims, 2), ctx);
            int[] gradDims = y.shape().dims();
            gradDims[gradDims.length - 1]++;
            Tensor badGrad = Tensor.zeros(gradDims);
            ShapeException g = F.expectThrows(contract, subject, ShapeException.class,
                    "backward with an output gradient of shape " + badGrad.shape() + " after a forward that returned "
                            + y.shape(),
                    "check that the output gradient has one value per output of the last forward pass",
                    () -> layer.backward(badGrad, ctx));
            F.requireMentions(contract, subject, g, List.of(layer.name(), badGrad.shape().toString()),
                    "the layer's name and the shape it got");
        }
        LayerFactory factory = factory(propel, c, contract);
        for (int[] dims : c.rejectedInputShapes()) {
            String subject = c.typeId() + " " + c.orderedAttributes() + ", per-sample input " + Testkit.shapeOf(dims);
            ShapeException e = F.expectThrows(contract, subject, ShapeException.class,
                    "creating the layer for per-sample input shape " + Testkit.shapeOf(dims),
                    "check the input shape in the factory's create() and throw a ShapeException",
                    () -> TestLayers.create(factory, c.orderedAttributes(), Shape.of(dims), c.seed()));
            F.requireMentions(contract, subject, e, List.of(c.typeId() + "_0", Testkit.shapeOf(dims)),
                    "the layer's name and the shape it got");
        }
    }

    /**
     * Forward and backward agree with central finite differences for the input and every parameter,
     * for every input shape and batch size, with the case's tolerance (see {@link GradientCheck} for
     * the formula and the defaults). Also: forward does not modify its input, backward returns a
     * gradient of the input's shape, and parameter gradients are added into the accumulators, not
     * written over them. One input shape must have a size and a last axis that are not multiples of 8.
     */
    public static void gradients(Propel propel, LayerCase c) {
        String contract = "gradients";
        boolean tail = false;
        for (int[] dims : c.inputShapes()) tail |= Testkit.hasTail(dims);
        if (!tail) {
            throw F.fail(contract, c.toString(), "every input shape has a size or a last axis that is a multiple of "
                    + Testkit.VECTOR_BLOCK + ", so the kernels' tail handling is never checked; add an input shape"
                    + " such as [17]");
        }
        for (int[] dims : c.inputShapes()) {
            Layer layer = create(propel, c, dims, c.seed(), contract);
            for (int batch : c.batches()) {
                Tensor x = input(c, batch, dims, 3);
                try {
                    GradientCheck.layer(layer, x, propel.kernels())
                            .tolerance(c.relative(), c.absolute())
                            .epsilon(c.epsilon())
                            .seed(c.seed() + batch)
                            .run();
                } catch (AssertionError e) {
                    throw F.wrap(contract, subject(c, batchDims(batch, dims)), e);
                }
            }
        }
    }

    /**
     * When the context says the input gradient is not needed (the first layer of a model), backward
     * returns {@code null} but accumulates exactly the same parameter gradients.
     */
    public static void inputGradientSkipped(Propel propel, LayerCase c) {
        String contract = "input gradient skipped";
        Kernels k = propel.kernels();
        for (int[] dims : c.inputShapes()) {
            int batch = maxBatch(c);
            String subject = subject(c, batchDims(batch, dims));
            Layer layer = create(propel, c, dims, c.seed(), contract);
            Tensor x = input(c, batch, dims, 4);
            TestLayerContext full = TestLayerContext.training(layer, k);
            Tensor y = layer.forward(x, full);
            Tensor dy = RandomTensors.normal(new SplittableRandom(5), y.shape().dims());
            layer.backward(dy, full);
            TestLayerContext skip = TestLayerContext.training(layer, k).needsInputGradient(false);
            layer.forward(x, skip);
            Tensor dx = layer.backward(dy, skip);
            if (dx != null) {
                throw F.fail(contract, subject, "backward returned an input gradient of shape " + dx.shape()
                        + " although needsInputGradient() is false; return null and skip that work");
            }
            for (String name : layer.parameters().keySet()) {
                try {
                    TensorAsserts.assertBitwiseEqual("gradient of parameter '" + name + "' without the input gradient",
                            full.gradient(name), skip.gradient(name));
                } catch (AssertionError e) {
                    throw F.wrap(contract, subject, e);
                }
            }
        }
    }

    /**
     * Steady state allocates no buffers: a second training step (forward and backward) and a second
     * inference pass with the same context and shapes reuse the context's buffers.
     */
    public static void buffersReused(Propel propel, LayerCase c) {
        String contract = "buffers reused";
        Kernels k = propel.kernels();
        for (int[] dims : c.inputShapes()) {
            int batch = maxBatch(c);
            String subject = subject(c, batchDims(batch, dims));
            Layer layer = create(propel, c, dims, c.seed(), contract);
            Tensor x = input(c, batch, dims, 6);
            TestLayerContext train = TestLayerContext.training(layer, k);
            Tensor dy = RandomTensors.normal(new SplittableRandom(7), layer.forward(x, train).shape().dims());
            layer.backward(dy, train);
            int afterFirst = train.allocations();
            layer.forward(x, train);
            layer.backward(dy, train);
            if (train.allocations() != afterFirst) {
                throw F.fail(contract, subject, "the second training step allocated " + (train.allocations() - afterFirst)
                        + " new buffer(s) (first step: " + afterFirst + "); get scratch tensors from ctx.buffer(key, shape)"
                        + " with the same keys each step");
            }
            TestLayerContext infer = TestLayerContext.inference(k);
            layer.forward(x, infer);
            int inferFirst = infer.allocations();
            layer.forward(x, infer);
            if (infer.allocations() != inferFirst) {
                throw F.fail(contract, subject, "the second inference pass allocated " + (infer.allocations() - inferFirst)
                        + " new buffer(s); get scratch tensors from ctx.buffer(key, shape) with the same keys each pass");
            }
        }
    }

    /**
     * Attribute validation: each {@link LayerCase#rejects} case fails with an
     * {@link AttributeException} naming the layer and the given fragments; an unknown attribute and
     * a missing required attribute are refused naming the attribute.
     */
    public static void attributeErrors(Propel propel, LayerCase c) {
        LayerFactory factory = factory(propel, c, "attribute errors");
        Shape shape = Shape.of(c.inputShapes().getFirst());
        F.attributeErrors(c.toString(), c.typeId(), c.typeId() + "_0", c.orderedAttributes(), c.invalid(), factory.schema().specs(),
                attributes -> TestLayers.create(factory, attributes, shape, c.seed()));
    }

    /**
     * Determinism for a fixed seed: two layers made with the same seed have bitwise equal parameters
     * and give bitwise equal outputs and gradients; repeating a pass gives the same results; and the
     * results do not depend on the number of kernel threads (1 or 4).
     */
    public static void determinism(Propel propel, LayerCase c) {
        String contract = "determinism";
        for (int[] dims : c.inputShapes()) {
            int batch = maxBatch(c);
            String subject = subject(c, batchDims(batch, dims));
            Layer a = create(propel, c, dims, c.seed(), contract);
            Layer b = create(propel, c, dims, c.seed(), contract);
            requireSameParameters(contract, subject, "a second layer made with the same seed", a, b);
            Tensor x = input(c, batch, dims, 8);
            Pass first = Pass.run(a, x, propel.kernels(), 11);
            compare(contract, subject, "a second layer made with the same seed", first, Pass.run(b, x, propel.kernels(), 11));
            compare(contract, subject, "a repeated pass of the same layer", first, Pass.run(a, x, propel.kernels(), 11));
            try (Kernels one = Testkit.kernels(1); Kernels four = Testkit.kernels(Testkit.THREADS)) {
                compare(contract, subject, "the same pass on " + Testkit.THREADS + " kernel threads instead of 1",
                        Pass.run(a, x, one, 11), Pass.run(a, x, four, 11));
            }
        }
    }

    /**
     * Concurrent passes: one layer used by four threads at once, each with its own context and input
     * (as {@code Model.predict} does), gives bitwise the same outputs, input gradients and parameter
     * gradients as the same passes one after another. Layers keep per-pass state in the context only.
     */
    public static void concurrentPasses(Propel propel, LayerCase c) {
        String contract = "concurrent passes";
        for (int[] dims : c.inputShapes()) {
            int batch = maxBatch(c);
            String subject = subject(c, batchDims(batch, dims));
            Layer layer = create(propel, c, dims, c.seed(), contract);
            Tensor[] inputs = new Tensor[Testkit.THREADS];
            Pass[] sequential = new Pass[Testkit.THREADS];
            for (int t = 0; t < inputs.length; t++) {
                inputs[t] = input(c, batch, dims, 100 + t);
                sequential[t] = Pass.run(layer, inputs[t], propel.kernels(), 200 + t);
            }
            Tensor[] predictions = new Tensor[Testkit.THREADS];
            for (int t = 0; t < inputs.length; t++) {
                predictions[t] = layer.forward(inputs[t], TestLayerContext.inference(propel.kernels())).copy();
            }
            List<Pass[]> concurrent = Concurrently.run(Testkit.THREADS, t -> {
                Pass[] runs = new Pass[3];
                for (int r = 0; r < runs.length; r++) {
                    Tensor predicted = layer.forward(inputs[t], TestLayerContext.inference(propel.kernels())).copy();
                    try {
                        TensorAsserts.assertBitwiseEqual("inference output on thread " + t + " of " + Testkit.THREADS
                                + " threads at once", predictions[t], predicted);
                    } catch (AssertionError e) {
                        throw F.wrap(contract, subject, e);
                    }
                    runs[r] = Pass.run(layer, inputs[t], propel.kernels(), 200 + t);
                }
                return runs;
            });
            for (int t = 0; t < inputs.length; t++) {
                for (Pass p : concurrent.get(t)) {
                    compare(contract, subject, "training passes on " + Testkit.THREADS + " threads at once (thread " + t + ")",
                            sequential[t], p);
                }
            }
        }
    }

    /**
     * Save → load round trip: a model made of the layer (its parameters changed from their initial
     * values) is saved as a protobuf and as a JSON file and loaded back with the same registry; each
     * loaded layer has the same type, attributes and bitwise the same parameters, the model predicts
     * bitwise the same outputs, and the file records the plugin that provides the type.
     */
    public static void saveLoadRoundTrip(Propel propel, LayerCase c) {
        String contract = "save/load round trip";
        RoundTrips.requireSupport(propel, F, contract, c.toString());
        for (int[] dims : c.inputShapes()) {
            String subject = subject(c, dims);
            ModelSpec spec = new ModelSpec(RoundTrips.list(dims), List.of(new LayerSpec(c.typeId(), null, c.orderedAttributes())),
                    ComponentSpec.of(SquaredErrorLoss.TYPE), null);
            Model model;
            try {
                model = propel.build(spec, c.seed());
            } catch (RuntimeException e) {
                throw F.fail(contract, subject, "building a model of the layer failed: " + e.getMessage(), e);
            }
            RoundTrips.perturb(model);
            Tensor x = input(c, maxBatch(c), dims, 12);
            Tensor expected = model.predict(x);
            Layer layer = model.layers().getFirst();
            SavedModel saved = SavedModel.builder(propel, model).build();
            for (Map.Entry<String, LoadedModel> e : RoundTrips.saveAndLoad(propel, saved, F, contract, subject).entrySet()) {
                String via = "the model loaded from its " + e.getKey() + " file";
                Layer loaded = e.getValue().model().layers().getFirst();
                requireEqual(contract, subject, "typeId() of the layer in " + via, layer.typeId(), loaded.typeId());
                requireEqual(contract, subject, "attributes() of the layer in " + via, layer.attributes(), loaded.attributes());
                requireSameParameters(contract, subject, via, layer, loaded);
                try {
                    TensorAsserts.assertBitwiseEqual("prediction of " + via, expected, e.getValue().model().predict(x));
                } catch (AssertionError err) {
                    throw F.wrap(contract, subject, err);
                }
                RoundTrips.requireProviderRecorded(propel, c.typeId(), e.getValue(), via, F, contract, subject);
            }
        }
    }

    /** One training forward and backward with a fixed upstream gradient; copies of everything. */
    record Pass(Tensor output, Tensor inputGradient, Map<String, Tensor> parameterGradients) {
        static Pass run(Layer layer, Tensor x, Kernels kernels, long seed) {
            TestLayerContext ctx = TestLayerContext.training(layer, kernels).seed(seed);
            Tensor y = layer.forward(x, ctx).copy();
            Tensor dy = RandomTensors.normal(new SplittableRandom(seed), y.shape().dims());
            Tensor dx = layer.backward(dy, ctx);
            Map<String, Tensor> grads = new LinkedHashMap<>();
            ctx.gradients().forEach((n, g) -> grads.put(n, g.copy()));
            return new Pass(y, dx == null ? null : dx.copy(), grads);
        }
    }

    private static void compare(String contract, String subject, String what, Pass expected, Pass actual) {
        try {
            TensorAsserts.assertBitwiseEqual("output of " + what, expected.output(), actual.output());
            if (expected.inputGradient() != null) {
                TensorAsserts.assertBitwiseEqual("input gradient of " + what, expected.inputGradient(), actual.inputGradient());
            }
            for (Map.Entry<String, Tensor> g : expected.parameterGradients().entrySet()) {
                TensorAsserts.assertBitwiseEqual("gradient of parameter '" + g.getKey() + "' of " + what,
                        g.getValue(), actual.parameterGradients().get(g.getKey()));
            }
        } catch (AssertionError e) {
            throw F.wrap(contract, subject, e);
        }
    }

    private static void requireSameParameters(String contract, String subject, String what, Layer expected, Layer actual) {
        requireEqual(contract, subject, "parameter names of " + what, List.copyOf(expected.parameters().keySet()),
                List.copyOf(actual.parameters().keySet()));
        try {
            for (Map.Entry<String, Tensor> p : expected.parameters().entrySet()) {
                TensorAsserts.assertBitwiseEqual("parameter '" + p.getKey() + "' of " + what, p.getValue(),
                        actual.parameters().get(p.getKey()));
            }
        } catch (AssertionError e) {
            throw F.wrap(contract, subject, e);
        }
    }

    private static void requireEqual(String contract, String subject, String what, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            throw F.fail(contract, subject, what + " is " + actual + " but " + expected + " was expected");
        }
    }

    private static LayerFactory factory(Propel propel, LayerCase c, String contract) {
        try {
            return propel.layerFactory(c.typeId());
        } catch (IllegalArgumentException e) {
            throw F.fail(contract, c.toString(), e.getMessage(), e);
        }
    }

    private static Layer create(Propel propel, LayerCase c, int[] dims, long seed, String contract) {
        LayerFactory factory = factory(propel, c, contract);
        try {
            return TestLayers.create(factory, c.orderedAttributes(), Shape.of(dims), seed);
        } catch (RuntimeException e) {
            throw F.fail(contract, subject(c, dims), "creating the layer failed: " + e, e);
        }
    }

    private static Tensor input(LayerCase c, int batch, int[] dims, long salt) {
        return c.inputs().draw(new SplittableRandom(c.seed() * 1_000_003L + salt), batchDims(batch, dims));
    }

    private static int[] batchDims(int batch, int[] dims) {
        int[] d = new int[dims.length + 1];
        d[0] = batch;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return d;
    }

    private static int maxBatch(LayerCase c) {
        int m = 1;
        for (int b : c.batches()) m = Math.max(m, b);
        return m;
    }

    private static String subject(LayerCase c, int[] dims) {
        return c.typeId() + " " + c.orderedAttributes() + ", input " + Testkit.shapeOf(dims);
    }
}
