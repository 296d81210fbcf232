package dev.propel.testkit;

import dev.propel.Propel;
import dev.propel.kernel.Kernels;
import dev.propel.model.LoadedModel;
import dev.propel.model.ModelSession;
import dev.propel.model.SavedModel;
import dev.propel.spi.AttributeException;
import dev.propel.spi.AttributeSpec;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.Parameter;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
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
        aliasing(propel, c);
        state(propel, c);
    }

    /**
     * The layer reports what it was made from: its factory's type id, the name and input shapes it was
     * given ({@code inputShape()} is the first input's), and exactly the resolved attributes (the formats save these, and loading recreates the
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
        for (InputShapes set : c.inputSets()) {
            String subject = subject(c, set.dims());
            Layer layer = create(propel, c, set, c.seed(), contract);
            Attributes resolved = factory.schema().resolve("layer", c.orderedAttributes());
            requireEqual(contract, subject, "typeId()", factory.typeId(), layer.typeId());
            requireEqual(contract, subject, "name()", c.typeId() + "_0", layer.name());
            requireEqual(contract, subject, "inputShape()", set.shapes().getFirst(), layer.inputShape());
            requireEqual(contract, subject, "inputShapes()", set.shapes(), layer.inputShapes());
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
            Layer again = TestLayers.create(factory, layer.attributes().asMap(), set.shapes(), c.seed());
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
        for (InputShapes set : c.inputSets()) {
            Layer layer = create(propel, c, set, c.seed(), contract);
            for (int batch : c.batches()) {
                String subject = subject(c, set.withBatch(batch));
                List<Tensor> x = input(c, batch, set, 1);
                Shape expected = layer.outputShape().withBatch(batch);
                for (boolean training : new boolean[] {false, true}) {
                    TestLayerContext ctx = training ? TestLayerContext.training(layer, k) : TestLayerContext.inference(k);
                    Tensor y = LayerCalls.forward(layer, x, ctx);
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
     * longer (for each input in turn, the others right), and backward with an output gradient of the
     * wrong size, throw a {@link ShapeException} whose message names the layer and the shape it got.
     * Per-sample shapes declared with {@link LayerCase#rejectsInputShape} or
     * {@link LayerCase#rejectsInputShapes} are refused by the factory in the same way, the message naming
     * every distinct shape given.
     */
    public static void wrongShapesRejected(Propel propel, LayerCase c) {
        String contract = "wrong shapes";
        Kernels k = propel.kernels();
        for (InputShapes set : c.inputSets()) {
            Layer layer = create(propel, c, set, c.seed(), contract);
            int batch = 3;
            String subject = subject(c, set.withBatch(batch));
            for (int i = 0; i < set.count(); i++) {
                int[] dims = set.dims(i);
                // One more element on the last axis; a per-sample scalar shape [] gets an extra axis instead.
                int[] wrong = dims.length == 0 ? new int[] {batch, 2} : InputShapes.withBatch(batch, dims);
                if (dims.length > 0) wrong[wrong.length - 1]++;
                Tensor bad = Tensor.zeros(wrong);
                List<Tensor> inputs = new ArrayList<>(input(c, batch, set, 2));
                inputs.set(i, bad);
                ShapeException e = F.expectThrows(contract, subject, ShapeException.class,
                        "forward on " + (set.count() == 1 ? "an input" : "input " + i) + " of shape " + bad.shape(),
                        "check the input shape" + (set.count() == 1 ? "" : " of every input") + " at the start of forward and"
                                + " throw a ShapeException naming the layer, the expected and the actual shape",
                        () -> LayerCalls.forward(layer, inputs, TestLayerContext.inference(k)));
                F.requireMentions(contract, subject, e, List.of(layer.name(), bad.shape().toString()),
                        "the layer's name and the shape it got");
            }

            TestLayerContext ctx = TestLayerContext.training(layer, k);
            Tensor y = LayerCalls.forward(layer, input(c, batch, set, 2), ctx);
            int[] gradDims = y.shape().dims();
            gradDims[gradDims.length - 1]++;
            Tensor badGrad = Tensor.zeros(gradDims);
            ShapeException g = F.expectThrows(contract, subject, ShapeException.class,
                    "backward with an output gradient of shape " + badGrad.shape() + " after a forward that returned "
                            + y.shape(),
                    "check that the output gradient has one value per output of the last forward pass",
                    () -> LayerCalls.backward(layer, badGrad, ctx, set.count()));
            F.requireMentions(contract, subject, g, List.of(layer.name(), badGrad.shape().toString()),
                    "the layer's name and the shape it got");
        }
        LayerFactory factory = factory(propel, c, contract);
        for (InputShapes set : c.rejectedInputSets()) {
            String subject = c.typeId() + " " + c.orderedAttributes() + ", per-sample input " + set;
            ShapeException e = F.expectThrows(contract, subject, ShapeException.class,
                    "creating the layer for per-sample input shape " + set,
                    "check the input shape" + (set.count() == 1 ? "" : "s") + " in the factory's create() and throw a ShapeException",
                    () -> TestLayers.create(factory, c.orderedAttributes(), set.shapes(), c.seed()));
            List<String> mentions = new ArrayList<>(List.of(c.typeId() + "_0"));
            for (int[] dims : set.dims()) {
                if (!mentions.contains(Testkit.shapeOf(dims))) mentions.add(Testkit.shapeOf(dims));
            }
            F.requireMentions(contract, subject, e, mentions,
                    set.count() == 1 ? "the layer's name and the shape it got" : "the layer's name and every shape it got");
        }
    }

    /**
     * Forward and backward agree with central finite differences for every input and every parameter,
     * for every input shape and batch size, with the case's tolerance (see {@link GradientCheck} for
     * the formula and the defaults). Also: forward does not modify its inputs, backward returns a
     * gradient of each input's shape, and parameter gradients are added into the accumulators, not
     * written over them. One input shape must have a size and a last axis that are not multiples of 8.
     */
    public static void gradients(Propel propel, LayerCase c) {
        String contract = "gradients";
        boolean tail = false;
        for (InputShapes set : c.inputSets()) tail |= set.hasTail();
        if (!tail) {
            throw F.fail(contract, c.toString(), "every input shape has a size or a last axis that is a multiple of "
                    + Testkit.VECTOR_BLOCK + ", so the kernels' tail handling is never checked; add an input shape"
                    + " such as [17]");
        }
        for (InputShapes set : c.inputSets()) {
            Layer layer = create(propel, c, set, c.seed(), contract);
            for (int batch : c.batches()) {
                List<Tensor> x = input(c, batch, set, 3);
                try {
                    GradientCheck.layer(layer, x, propel.kernels())
                            .discreteInputs(c.discreteInputs())
                            .tolerance(c.relative(), c.absolute())
                            .epsilon(c.epsilon())
                            .seed(c.seed() + batch)
                            .run();
                } catch (AssertionError e) {
                    throw F.wrap(contract, subject(c, set.withBatch(batch)), e);
                }
            }
        }
    }

    /**
     * When the context says an input's gradient is not needed (the first layer of a model; an input fed
     * only by layers without parameters), backward returns {@code null} for it but accumulates exactly
     * the same parameter gradients. For a layer with several inputs, each input is skipped on its own
     * (the others' gradients stay bitwise the same) and then all at once.
     */
    public static void inputGradientSkipped(Propel propel, LayerCase c) {
        String contract = "input gradient skipped";
        Kernels k = propel.kernels();
        for (InputShapes set : c.inputSets()) {
            int batch = maxBatch(c);
            String subject = subject(c, set.withBatch(batch));
            int n = set.count();
            Layer layer = create(propel, c, set, c.seed(), contract);
            List<Tensor> x = input(c, batch, set, 4);
            TestLayerContext full = TestLayerContext.training(layer, k);
            Tensor y = LayerCalls.forward(layer, x, full);
            Tensor dy = RandomTensors.normal(new SplittableRandom(5), y.shape().dims());
            List<Tensor> all = LayerCalls.copies(backward(layer, dy, full, n, contract, subject));
            List<boolean[]> variants = new ArrayList<>();
            if (n > 1) {
                for (int i = 0; i < n; i++) {
                    boolean[] needed = new boolean[n];
                    Arrays.fill(needed, true);
                    needed[i] = false;
                    variants.add(needed);
                }
            }
            variants.add(new boolean[n]);
            for (boolean[] needed : variants) {
                TestLayerContext skip = TestLayerContext.training(layer, k);
                for (int i = 0; i < n; i++) skip.needsInputGradient(i, needed[i]);
                LayerCalls.forward(layer, x, skip);
                List<Tensor> dx = backward(layer, dy, skip, n, contract, subject);
                String flags = n == 1 ? "needsInputGradient() is false" : "needsInputGradient(i) is " + Arrays.toString(needed);
                for (int i = 0; i < n; i++) {
                    String which = n == 1 ? "an input gradient" : "a gradient for input " + i;
                    if (!needed[i] && dx.get(i) != null) {
                        throw F.fail(contract, subject, "backward returned " + which + " of shape " + dx.get(i).shape()
                                + " although " + flags + "; return null and skip that work");
                    }
                    if (needed[i]) {
                        if (dx.get(i) == null) {
                            throw F.fail(contract, subject, "backward returned no gradient for input " + i + " although " + flags);
                        }
                        try {
                            TensorAsserts.assertBitwiseEqual("gradient of input " + i + " when " + flags, all.get(i), dx.get(i));
                        } catch (AssertionError e) {
                            throw F.wrap(contract, subject, e);
                        }
                    }
                }
                for (String name : layer.parameters().keySet()) {
                    try {
                        TensorAsserts.assertBitwiseEqual("gradient of parameter '" + name + "' when " + flags,
                                full.gradient(name), skip.gradient(name));
                    } catch (AssertionError e) {
                        throw F.wrap(contract, subject, e);
                    }
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
        for (InputShapes set : c.inputSets()) {
            int batch = maxBatch(c);
            String subject = subject(c, set.withBatch(batch));
            Layer layer = create(propel, c, set, c.seed(), contract);
            List<Tensor> x = input(c, batch, set, 6);
            TestLayerContext train = TestLayerContext.training(layer, k);
            Tensor dy = RandomTensors.normal(new SplittableRandom(7), LayerCalls.forward(layer, x, train).shape().dims());
            backward(layer, dy, train, set.count(), contract, subject);
            int afterFirst = train.allocations();
            LayerCalls.forward(layer, x, train);
            backward(layer, dy, train, set.count(), contract, subject);
            if (train.allocations() != afterFirst) {
                throw F.fail(contract, subject, "the second training step allocated " + (train.allocations() - afterFirst)
                        + " new buffer(s) (first step: " + afterFirst + "); get scratch tensors from ctx.buffer(key, shape)"
                        + " with the same keys each step");
            }
            TestLayerContext infer = TestLayerContext.inference(k);
            LayerCalls.forward(layer, x, infer);
            int inferFirst = infer.allocations();
            LayerCalls.forward(layer, x, infer);
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
        List<Shape> shapes = c.inputSets().getFirst().shapes();
        F.attributeErrors(c.toString(), c.typeId(), c.typeId() + "_0", c.orderedAttributes(), c.invalid(), factory.schema().specs(),
                attributes -> TestLayers.create(factory, attributes, shapes, c.seed()));
    }

    /**
     * Determinism for a fixed seed: two layers made with the same seed have bitwise equal parameters
     * and give bitwise equal outputs and gradients; repeating a pass gives the same results; and the
     * results do not depend on the number of kernel threads (1 or 4).
     */
    public static void determinism(Propel propel, LayerCase c) {
        String contract = "determinism";
        for (InputShapes set : c.inputSets()) {
            int batch = maxBatch(c);
            String subject = subject(c, set.withBatch(batch));
            Layer a = create(propel, c, set, c.seed(), contract);
            Layer b = create(propel, c, set, c.seed(), contract);
            requireSameParameters(contract, subject, "a second layer made with the same seed", a, b);
            List<Tensor> x = input(c, batch, set, 8);
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
     * Inference passes and training passes run in separate rounds: a model is never trained and asked
     * for predictions at the same time, and a training pass may update the layer's state.
     */
    public static void concurrentPasses(Propel propel, LayerCase c) {
        String contract = "concurrent passes";
        for (InputShapes set : c.inputSets()) {
            int batch = maxBatch(c);
            String subject = subject(c, set.withBatch(batch));
            Layer layer = create(propel, c, set, c.seed(), contract);
            List<List<Tensor>> inputs = new ArrayList<>();
            Pass[] sequential = new Pass[Testkit.THREADS];
            for (int t = 0; t < Testkit.THREADS; t++) {
                inputs.add(input(c, batch, set, 100 + t));
                sequential[t] = Pass.run(layer, inputs.get(t), propel.kernels(), 200 + t);
            }
            Tensor[] predictions = new Tensor[Testkit.THREADS];
            for (int t = 0; t < Testkit.THREADS; t++) {
                predictions[t] = LayerCalls.forward(layer, inputs.get(t), TestLayerContext.inference(propel.kernels())).copy();
            }
            Concurrently.run(Testkit.THREADS, t -> {
                for (int r = 0; r < 3; r++) {
                    Tensor predicted = LayerCalls.forward(layer, inputs.get(t), TestLayerContext.inference(propel.kernels())).copy();
                    try {
                        TensorAsserts.assertBitwiseEqual("inference output on thread " + t + " of " + Testkit.THREADS
                                + " threads at once", predictions[t], predicted);
                    } catch (AssertionError e) {
                        throw F.wrap(contract, subject, e);
                    }
                }
                return null;
            });
            List<Pass[]> concurrent = Concurrently.run(Testkit.THREADS, t -> {
                Pass[] runs = new Pass[3];
                for (int r = 0; r < runs.length; r++) runs[r] = Pass.run(layer, inputs.get(t), propel.kernels(), 200 + t);
                return runs;
            });
            for (int t = 0; t < Testkit.THREADS; t++) {
                for (Pass p : concurrent.get(t)) {
                    compare(contract, subject, "training passes on " + Testkit.THREADS + " threads at once (thread " + t + ")",
                            sequential[t], p);
                }
            }
        }
    }

    /**
     * Save → load round trip: a model made of the layer (its parameters and state changed from their
     * initial values) is saved as a protobuf and as a JSON file and loaded back with the same registry;
     * each loaded layer has the same type, attributes and bitwise the same parameters and state, the
     * model predicts bitwise the same outputs, and the file records the plugin that provides the type. A
     * layer that reads several inputs gets them from the model's one input through
     * {@code testkit_slice} layers, one per input.
     */
    public static void saveLoadRoundTrip(Propel propel, LayerCase c) {
        String contract = "save/load round trip";
        RoundTrips.requireSupport(propel, F, contract, c.toString());
        for (InputShapes set : c.inputSets()) {
            String subject = subject(c, set.dims());
            LayerModel m = LayerModel.build(propel, c, set, F, contract, subject);
            RoundTrips.perturb(m.model().parameters());
            RoundTrips.perturb(m.model().state());
            Tensor x = m.input(maxBatch(c), 12);
            Tensor expected = m.model().predict(x);
            Layer layer = m.layer();
            SavedModel saved = SavedModel.builder(propel, m.model()).build();
            for (Map.Entry<String, LoadedModel> e : RoundTrips.saveAndLoad(propel, saved, F, contract, subject).entrySet()) {
                String via = "the model loaded from its " + e.getKey() + " file";
                Layer loaded = m.layerIn(e.getValue().model());
                requireEqual(contract, subject, "typeId() of the layer in " + via, layer.typeId(), loaded.typeId());
                requireEqual(contract, subject, "attributes() of the layer in " + via, layer.attributes(), loaded.attributes());
                requireSameParameters(contract, subject, via, layer, loaded);
                requireSameTensors(contract, subject, "state", via, layer.state(), loaded.state());
                try {
                    TensorAsserts.assertBitwiseEqual("prediction of " + via, expected, e.getValue().model().predict(x));
                } catch (AssertionError err) {
                    throw F.wrap(contract, subject, err);
                }
                RoundTrips.requireProviderRecorded(propel, c.typeId(), e.getValue(), via, F, contract, subject);
            }
        }
    }

    /**
     * The aliasing rule of {@link Layer}: forward (in training and at inference) returns neither one of
     * its inputs nor a tensor sharing an input's array, and leaves the inputs bitwise unchanged; backward
     * leaves the output gradient, the inputs and every tensor the layer saved in the context bitwise
     * unchanged. (The model hands a layer's output to the next layer as its input and never copies a
     * gradient, so a layer that writes into what it is given corrupts its neighbours' numbers.)
     */
    public static void aliasing(Propel propel, LayerCase c) {
        String contract = "aliasing";
        Kernels k = propel.kernels();
        for (InputShapes set : c.inputSets()) {
            int batch = maxBatch(c);
            String subject = subject(c, set.withBatch(batch));
            Layer layer = create(propel, c, set, c.seed(), contract);
            List<Tensor> originals = input(c, batch, set, 14);
            List<Tensor> x = LayerCalls.copies(originals);
            requireNoAlias(contract, subject, "the inference forward", LayerCalls.forward(layer, x, TestLayerContext.inference(k)), x);
            requireUnchanged(contract, subject, "after the inference forward", originals, x);

            TestLayerContext ctx = TestLayerContext.training(layer, k);
            Tensor y = LayerCalls.forward(layer, x, ctx);
            requireNoAlias(contract, subject, "the training forward", y, x);
            requireUnchanged(contract, subject, "after the training forward", originals, x);
            Map<String, Tensor> savedLive = new LinkedHashMap<>(ctx.savedTensors());
            Map<String, Tensor> saved = new LinkedHashMap<>();
            savedLive.forEach((key, t) -> saved.put(key, t.copy()));
            Tensor dy = RandomTensors.normal(new SplittableRandom(15), y.shape().dims());
            Tensor dyOriginal = dy.copy();
            backward(layer, dy, ctx, set.count(), contract, subject);
            try {
                TensorAsserts.assertBitwiseEqual("the output gradient after backward (a layer never writes into the"
                        + " gradient it is given)", dyOriginal, dy);
                for (Map.Entry<String, Tensor> e : saved.entrySet()) {
                    TensorAsserts.assertBitwiseEqual("the tensor saved as '" + e.getKey() + "' after backward (backward"
                            + " never writes into what forward saved; take scratch space from ctx.buffer)",
                            e.getValue(), savedLive.get(e.getKey()));
                }
            } catch (AssertionError e) {
                throw F.wrap(contract, subject, e);
            }
            requireUnchanged(contract, subject, "after backward", originals, x);
        }
    }

    /**
     * Layer state, for a layer whose {@link Layer#state()} is not empty: live tensors (the same instances
     * on every call) with names free of '.' and '/', none of them a parameter or sharing a parameter's
     * array or name; an inference forward leaves the state bitwise unchanged; in a model, the state is in
     * {@code Model.state()} as {@code "<layer>.<name>"} and not among the parameters a training session
     * hands to the optimizer; and after training passes have changed it, it survives a save → load round
     * trip through .pb and .json bitwise. A layer without state passes trivially.
     */
    public static void state(Propel propel, LayerCase c) {
        String contract = "state";
        Kernels k = propel.kernels();
        RoundTrips.requireSupport(propel, F, contract, c.toString());
        for (InputShapes set : c.inputSets()) {
            int batch = maxBatch(c);
            String subject = subject(c, set.withBatch(batch));
            Layer layer = create(propel, c, set, c.seed(), contract);
            Map<String, Tensor> state = layer.state();
            if (state.isEmpty()) continue;
            requireLive(contract, subject, "state()", state, layer.state());
            for (Map.Entry<String, Tensor> s : state.entrySet()) {
                for (Map.Entry<String, Tensor> p : layer.parameters().entrySet()) {
                    if (s.getKey().equals(p.getKey()) || s.getValue() == p.getValue() || s.getValue().data() == p.getValue().data()) {
                        throw F.fail(contract, subject, "state tensor '" + s.getKey() + "' is (or shares its array or name with)"
                                + " parameter '" + p.getKey() + "'; state is what no optimizer trains, so keep it apart");
                    }
                }
            }
            List<Tensor> x = input(c, batch, set, 16);
            LayerCalls.forward(layer, x, TestLayerContext.training(layer, k));
            Map<String, Tensor> before = copies(state);
            LayerCalls.forward(layer, x, TestLayerContext.inference(k));
            requireSameTensors(contract, subject, "state", "the layer after an inference forward (inference only reads"
                    + " state; update it in training passes)", before, state);

            LayerModel m = LayerModel.build(propel, c, set, F, contract, subject);
            Layer inModel = m.layer();
            List<Parameter> optimized = m.model().trainingSession(1).parameters();
            for (Map.Entry<String, Tensor> s : inModel.state().entrySet()) {
                String full = inModel.name() + "." + s.getKey();
                if (m.model().state().get(full) != s.getValue()) {
                    throw F.fail(contract, subject, "Model.state() has no live entry '" + full + "' for the layer's state tensor '"
                            + s.getKey() + "'; its entries are " + m.model().state().keySet());
                }
                for (Parameter p : optimized) {
                    if (p.value() == s.getValue()) {
                        throw F.fail(contract, subject, "the training session hands state tensor '" + full
                                + "' to the optimizer as parameter '" + p.name() + "'");
                    }
                }
            }
            ModelSession session = m.model().trainingSession(c.seed());
            for (int step = 0; step < 3; step++) session.forward(m.input(batch, 17 + step));
            RoundTrips.perturb(m.model().state());
            SavedModel saved = SavedModel.builder(propel, m.model()).build();
            for (Map.Entry<String, LoadedModel> e : RoundTrips.saveAndLoad(propel, saved, F, contract, subject).entrySet()) {
                String via = "the model loaded from its " + e.getKey() + " file";
                requireSameTensors(contract, subject, "state", via, inModel.state(), m.layerIn(e.getValue().model()).state());
                requireSameTensors(contract, subject, "Model.state()", via, m.model().state(), e.getValue().model().state());
            }
        }
    }

    /** One training forward and backward with a fixed upstream gradient; copies of everything. */
    record Pass(Tensor output, List<Tensor> inputGradients, Map<String, Tensor> parameterGradients) {
        static Pass run(Layer layer, List<Tensor> x, Kernels kernels, long seed) {
            TestLayerContext ctx = TestLayerContext.training(layer, kernels).seed(seed);
            Tensor y = LayerCalls.forward(layer, x, ctx).copy();
            Tensor dy = RandomTensors.normal(new SplittableRandom(seed), y.shape().dims());
            List<Tensor> dx = LayerCalls.copies(LayerCalls.backward(layer, dy, ctx, x.size()));
            Map<String, Tensor> grads = new LinkedHashMap<>();
            ctx.gradients().forEach((n, g) -> grads.put(n, g.copy()));
            return new Pass(y, dx, grads);
        }
    }

    private static void compare(String contract, String subject, String what, Pass expected, Pass actual) {
        try {
            TensorAsserts.assertBitwiseEqual("output of " + what, expected.output(), actual.output());
            for (int i = 0; i < expected.inputGradients().size(); i++) {
                Tensor g = expected.inputGradients().get(i);
                if (g != null) {
                    String name = expected.inputGradients().size() == 1 ? "input gradient" : "gradient of input " + i;
                    TensorAsserts.assertBitwiseEqual(name + " of " + what, g, actual.inputGradients().get(i));
                }
            }
            for (Map.Entry<String, Tensor> g : expected.parameterGradients().entrySet()) {
                TensorAsserts.assertBitwiseEqual("gradient of parameter '" + g.getKey() + "' of " + what,
                        g.getValue(), actual.parameterGradients().get(g.getKey()));
            }
        } catch (AssertionError e) {
            throw F.wrap(contract, subject, e);
        }
    }

    private static void requireNoAlias(String contract, String subject, String pass, Tensor y, List<Tensor> inputs) {
        for (int i = 0; i < inputs.size(); i++) {
            Tensor x = inputs.get(i);
            String which = inputs.size() == 1 ? "its input" : "input " + i;
            if (y == x || y.data() == x.data()) {
                throw F.fail(contract, subject, pass + " returned " + (y == x ? which : "a tensor sharing the array of " + which)
                        + "; the next layer or the caller may write into the output, so return a tensor of your own"
                        + " (e.g. copy into ctx.buffer(\"output\", shape)), even for an identity");
            }
        }
    }

    private static void requireUnchanged(String contract, String subject, String when, List<Tensor> originals, List<Tensor> inputs) {
        try {
            for (int i = 0; i < inputs.size(); i++) {
                TensorAsserts.assertBitwiseEqual((inputs.size() == 1 ? "the input " : "input " + i + " ") + when
                        + " (a layer never writes into its inputs)", originals.get(i), inputs.get(i));
            }
        } catch (AssertionError e) {
            throw F.wrap(contract, subject, e);
        }
    }

    private static List<Tensor> backward(Layer layer, Tensor dy, TestLayerContext ctx, int inputs, String contract, String subject) {
        try {
            return LayerCalls.backward(layer, dy, ctx, inputs);
        } catch (AssertionError e) {
            throw F.wrap(contract, subject, e);
        }
    }

    private static void requireLive(String contract, String subject, String what, Map<String, Tensor> first,
                                    Map<String, Tensor> second) {
        requireEqual(contract, subject, "the names of two " + what + " calls", List.copyOf(first.keySet()),
                List.copyOf(second.keySet()));
        for (Map.Entry<String, Tensor> p : first.entrySet()) {
            if (second.get(p.getKey()) != p.getValue()) {
                throw F.fail(contract, subject, what + " returned a different tensor for '" + p.getKey()
                        + "' on a second call; return the live tensors, which loaders copy saved values into");
            }
            if (p.getKey().contains(".") || p.getKey().contains("/")) {
                throw F.fail(contract, subject, "name '" + p.getKey() + "' in " + what + " contains '.' or '/', which"
                        + " the model uses to join layer, tensor and optimizer-slot names");
            }
        }
    }

    private static void requireSameParameters(String contract, String subject, String what, Layer expected, Layer actual) {
        requireSameTensors(contract, subject, "parameter", what, expected.parameters(), actual.parameters());
    }

    /** Same names in the same order and bitwise equal tensors; {@code kind} is "parameter", "state", …. */
    private static void requireSameTensors(String contract, String subject, String kind, String what,
                                           Map<String, Tensor> expected, Map<String, Tensor> actual) {
        requireEqual(contract, subject, kind + " names of " + what, List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        try {
            for (Map.Entry<String, Tensor> p : expected.entrySet()) {
                TensorAsserts.assertBitwiseEqual(kind + " '" + p.getKey() + "' of " + what, p.getValue(), actual.get(p.getKey()));
            }
        } catch (AssertionError e) {
            throw F.wrap(contract, subject, e);
        }
    }

    private static Map<String, Tensor> copies(Map<String, Tensor> tensors) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        tensors.forEach((name, t) -> copy.put(name, t.copy()));
        return copy;
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

    private static Layer create(Propel propel, LayerCase c, InputShapes set, long seed, String contract) {
        LayerFactory factory = factory(propel, c, contract);
        try {
            return TestLayers.create(factory, c.orderedAttributes(), set.shapes(), seed);
        } catch (RuntimeException e) {
            throw F.fail(contract, subject(c, set.dims()), "creating the layer failed: " + e, e);
        }
    }

    /** One input tensor per input of {@code set}, drawn from the case's source. */
    private static List<Tensor> input(LayerCase c, int batch, InputShapes set, long salt) {
        return set.draw(c.inputs(), c.seed() * 1_000_003L + salt, batch);
    }

    private static int maxBatch(LayerCase c) {
        int m = 1;
        for (int b : c.batches()) m = Math.max(m, b);
        return m;
    }

    private static String subject(LayerCase c, List<int[]> dims) {
        return c.typeId() + " " + c.orderedAttributes() + ", input " + InputShapes.describe(dims);
    }
}
