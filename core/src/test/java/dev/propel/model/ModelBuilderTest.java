package dev.propel.model;

import dev.propel.Propel;
import dev.propel.fakes.PluginFixtures;
import dev.propel.spi.AttributeException;
import dev.propel.spi.Layer;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelBuilderTest {
    private static final String LOSS = "fake_squared_error";
    private static Propel propel;

    @BeforeAll
    static void registry() {
        propel = PluginFixtures.discovered();
    }

    @AfterAll
    static void close() {
        propel.close();
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }

    private static ModelSpec.Builder spec(int... input) {
        return ModelSpec.builder().input(input).loss(LOSS);
    }

    private static Tensor random(long seed, int... dims) {
        return Tensor.randn(new SplittableRandom(seed), 1f, dims);
    }

    @Test
    void shapesAreInferredLayerByLayer() {
        Model model = propel.build(spec(6)
                .layer("fake_project", Map.of("units", 4))
                .layer("fake_scale", Map.of("factor", 0.5))
                .layer("fake_negate")
                .layer("fake_project", Map.of("units", 3))
                .build(), 42);
        List<Layer> layers = model.layers();
        assertEquals(List.of("fake_project_0", "fake_scale_1", "fake_negate_2", "fake_project_3"),
                layers.stream().map(Layer::name).toList(), "default names are <type>_<index>");
        assertEquals(List.of(Shape.of(6), Shape.of(4), Shape.of(4), Shape.of(4)), layers.stream().map(Layer::inputShape).toList());
        assertEquals(Shape.of(6), model.inputShape());
        assertEquals(Shape.of(3), model.outputShape());
        assertEquals(List.of("fake_project_0.weight", "fake_project_3.weight"), List.copyOf(model.parameters().keySet()));
        assertEquals(6 * 4 + 4 * 3, model.parameterCount());
        assertEquals(0.5f, layers.get(1).attributes().getFloat("factor"));
    }

    @Test
    void forwardComposesTheLayers() {
        Model model = propel.build(spec(2)
                .layer("fake_scale", Map.of("factor", 3))
                .layer("fake_negate")
                .build(), 1);
        Tensor y = model.predict(Tensor.of(new float[]{1, -2, 0.5f, 4}, 2, 2));
        assertArrayEquals(new float[]{-3, 6, -1.5f, -12}, y.toArray());
    }

    @Test
    void theSeedFixesTheInitialParameters() {
        ModelSpec s = spec(5).layer("fake_project", Map.of("units", 3)).build();
        assertArrayEquals(propel.build(s, 7).parameters().get("fake_project_0.weight").toArray(),
                propel.build(s, 7).parameters().get("fake_project_0.weight").toArray());
        assertNotEquals(List.of(propel.build(s, 7).parameters().get("fake_project_0.weight").toArray()[0]),
                List.of(propel.build(s, 8).parameters().get("fake_project_0.weight").toArray()[0]));
    }

    @Test
    void aLayerRejectingItsInputShapeIsNamedWithBothShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> propel.build(spec(28, 28)
                .layer("fake_scale")
                .layer(new LayerSpec("fake_project", "classifier", Map.of("units", 10)))
                .build(), 1));
        assertMentions(e, "layer 1 'classifier' (fake_project)", "rank 1, [features]", "but got [28, 28]");
    }

    @Test
    void duplicateLayerNamesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> propel.build(spec(4)
                .layer(new LayerSpec("fake_scale", "twice", Map.of()))
                .layer(new LayerSpec("fake_negate", "twice", Map.of()))
                .build(), 1));
        assertMentions(e, "layer name 'twice' is used twice (layers 0 and 1)", "unique name");
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> propel.build(spec(4)
                .layer(new LayerSpec("fake_scale", "fake_scale_1", Map.of()))
                .layer("fake_scale")
                .build(), 1));
        assertMentions(clash, "'fake_scale_1' is used twice", "(layers 0 and 1)");
    }

    @Test
    void emptyOrShapelessSpecsAreRefused() {
        assertMentions(assertThrows(IllegalArgumentException.class, () -> propel.build(spec(4).build(), 1)),
                "no layers", "add at least one");
        assertMentions(assertThrows(ShapeException.class, () -> propel.build(spec(4, 0).layer("fake_scale").build(), 1)),
                "[4, 0]", "no zero dimension");
        assertMentions(assertThrows(ShapeException.class, () -> propel.build(spec().layer("fake_scale").build(), 1)),
                "at least one dimension");
        assertThrows(IllegalStateException.class, () -> ModelSpec.builder().layer("fake_scale").loss(LOSS).build());
        assertThrows(IllegalStateException.class, () -> ModelSpec.builder().input(3).layer("fake_scale").build());
    }

    @Test
    void layerAttributeErrorsNameTheLayer() {
        AttributeException missing = assertThrows(AttributeException.class,
                () -> propel.build(spec(4).layer("fake_scale").layer("fake_project").build(), 1));
        assertMentions(missing, "layer 1 'fake_project_1' (fake_project)", "'units'", "required");
        AttributeException unknown = assertThrows(AttributeException.class,
                () -> propel.build(spec(4).layer("fake_scale", Map.of("factr", 2)).build(), 1));
        assertMentions(unknown, "layer 0 'fake_scale_0' (fake_scale)", "unknown attribute 'factr'", "factor (a number)");
        AttributeException loss = assertThrows(AttributeException.class, () -> propel.build(ModelSpec.builder().input(4)
                .layer("fake_scale").loss(LOSS, Map.of("reduction", "sum")).build(), 1));
        assertMentions(loss, "loss 'fake_squared_error'", "unknown attribute 'reduction'");
    }

    @Test
    void inputOfTheWrongSizeIsAClearShapeError() {
        Model model = propel.build(spec(6).layer("fake_project", Map.of("units", 2)).build(), 1);
        ShapeException e = assertThrows(ShapeException.class, () -> model.predict(Tensor.zeros(3, 5)));
        assertMentions(e, "model input", "expected [batch, 6]", "got [3, 5]", "5 values instead of 6");
        assertMentions(assertThrows(ShapeException.class, () -> model.predict(Tensor.zeros(Shape.of()))),
                "batch dimension");
    }

    @Test
    void inputOfTheSameSizeButAnotherLayoutIsRefused() {
        Model model = propel.build(spec(784).layer("fake_project", Map.of("units", 10)).build(), 3);
        Tensor images = random(5, 4, 28, 28);
        ShapeException e = assertThrows(ShapeException.class, () -> model.predict(images));
        assertMentions(e, "expected [batch, 784]", "got [4, 28, 28]", "does not guess layouts", "reshape the data",
                "declare the input as [28, 28]");
        assertThrows(ShapeException.class, () -> model.predict(images.reshape(4, 1, 784)));
        assertArrayEquals(model.predict(images.copy().reshape(4, 784)).toArray(), model.predict(images.reshape(4, 784)).toArray());
    }

    @Test
    void predictFromEightThreadsMatchesSingleThreaded() throws Exception {
        Model model = propel.build(spec(64)
                .layer("fake_project", Map.of("units", 32))
                .layer("fake_scale", Map.of("factor", 1.5))
                .layer("fake_project", Map.of("units", 10))
                .build(), 11);
        int threads = 8;
        Tensor[] inputs = new Tensor[threads];
        float[][] expected = new float[threads][];
        int[][] expectedClasses = new int[threads][];
        for (int t = 0; t < threads; t++) {
            inputs[t] = random(100 + t, 16 + t, 64); // a different batch size per thread
            expected[t] = model.predict(inputs[t]).toArray();
            expectedClasses[t] = model.predictClasses(inputs[t]);
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Callable<Integer> job = () -> {
                    start.await();
                    for (int round = 0; round < 50; round++) {
                        assertArrayEquals(expected[id], model.predict(inputs[id]).toArray(), "thread " + id + " round " + round);
                        assertArrayEquals(expectedClasses[id], model.predictClasses(inputs[id]));
                    }
                    return id;
                };
                results.add(pool.submit(job));
            }
            start.countDown();
            for (Future<Integer> f : results) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTrainingStepThroughThePluginLowersTheLoss() {
        Model model = propel.build(spec(3).layer("fake_project", Map.of("units", 2)).build(), 5);
        Optimizer sgd = propel.optimizer("fake_sgd", Map.of("learning_rate", 0.05));
        Tensor x = random(1, 8, 3);
        Tensor target = random(2, 8, 2);
        ModelSession session = model.trainingSession(9);
        Tensor grad = Tensor.zeros(8, 2);
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < 20; step++) {
            Tensor y = session.forward(x);
            last = model.loss().compute(y, target, grad, model.kernels());
            if (step == 0) first = last;
            session.zeroGradients();
            session.backward(grad);
            sgd.step(session.parameters(), sgd.learningRate(), model.kernels());
        }
        assertEquals(20, sgd.stepCount());
        assertTrue(last < 0.9f * first, "loss went from " + first + " to " + last);
        assertThrows(IllegalStateException.class, () -> model.inferenceSession().backward(grad));
    }
}
