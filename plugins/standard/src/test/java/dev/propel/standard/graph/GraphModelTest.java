package dev.propel.standard.graph;

import dev.propel.model.LayerSpec;
import dev.propel.model.Model;
import dev.propel.model.ModelSession;
import dev.propel.model.ModelSpec;
import dev.propel.spi.Parameter;
import dev.propel.spi.PropelException;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.RandomTensors;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.propel.standard.Standard.PROPEL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graph models built from specs that name their layers' inputs: the gradients the session computes
 * (with fan-out sums, multi-input layers and skipped branches) against central finite differences of
 * the loss, and the builder's refusals.
 */
public class GraphModelTest {

    private static LayerSpec dense(String name, int units, String... inputs) {
        LayerSpec l = LayerSpec.of("dense", Map.of("units", units)).named(name);
        return inputs.length == 0 ? l : l.reading(inputs);
    }

    private static LayerSpec layer(String type, String name, String... inputs) {
        LayerSpec l = LayerSpec.of(type).named(name);
        return inputs.length == 0 ? l : l.reading(inputs);
    }

    /** Two dense layers whose sum with the block's input feeds the next layer. */
    public static ModelSpec residualMlp() {
        return ModelSpec.builder().input(6)
                .layer(dense("dense_1", 6))
                .layer(layer("tanh", "tanh_1"))
                .layer(dense("dense_2", 6))
                .layer(layer("add", "add_1", "dense_2", "input"))
                .layer(layer("tanh", "tanh_2"))
                .layer(dense("out", 3))
                .loss("mse").build();
    }

    @Test
    void aResidualBlockHasTheGradientsOfFiniteDifferences() {
        checkGradients(residualMlp(), new int[]{5, 6}, 3);
    }

    @Test
    void aLayerReadThreeTimesSumsItsGradients() {
        ModelSpec spec = ModelSpec.builder().input(5)
                .layer(dense("shared", 4))
                .layer(layer("tanh", "t", "shared"))
                .layer(dense("left", 4, "t"))
                .layer(dense("right", 4, "t"))
                .layer(layer("add", "join", "t", "left", "right"))
                .layer(layer("sigmoid", "s"))
                .layer(dense("out", 2))
                .loss("mse").build();
        Model model = PROPEL.build(spec, 4);
        assertEquals(3, countReaders(model, "t"));
        checkGradients(spec, new int[]{4, 5}, 5);
    }

    @Test
    void concatAlongBothPerSampleAxesHasTheGradientsOfFiniteDifferences() {
        ModelSpec spec = ModelSpec.builder().input(6)
                .layer(dense("a", 6, "input"))
                .layer(layer("tanh", "ta"))
                .layer(LayerSpec.of("reshape", Map.of("shape", List.of(2, 3))).named("ra").reading("ta"))
                .layer(dense("b", 6, "input"))
                .layer(layer("sigmoid", "sb"))
                .layer(LayerSpec.of("reshape", Map.of("shape", List.of(2, -1))).named("rb").reading("sb"))
                .layer(LayerSpec.of("concat", Map.of("axis", 1)).named("rows").reading("ra", "rb"))   // [4, 3]
                .layer(LayerSpec.of("concat", Map.of("axis", -1)).named("cols").reading("ra", "rb"))  // [2, 6]
                .layer(layer("flatten", "f_rows", "rows"))
                .layer(layer("flatten", "f_cols", "cols"))
                .layer(LayerSpec.of("concat", Map.of()).named("both").reading("f_cols", "f_rows", "input"))
                .layer(dense("out", 3))
                .loss("mse").build();
        Model model = PROPEL.build(spec, 2);
        assertEquals(dev.propel.tensor.Shape.of(4, 3), layerNamed(model, "rows").outputShape());
        assertEquals(dev.propel.tensor.Shape.of(2, 6), layerNamed(model, "cols").outputShape());
        assertEquals(dev.propel.tensor.Shape.of(30), layerNamed(model, "both").outputShape());
        checkGradients(spec, new int[]{3, 6}, 7);
    }

    @Test
    void concatPlacesEachInputsValuesWhereTorchCatDoes() {
        ModelSpec spec = ModelSpec.builder().input(2, 2)
                .layer(LayerSpec.of("concat", Map.of("axis", 2)).named("c").reading("input", "input"))
                .loss("mse").build();
        Model model = PROPEL.build(spec, 1);
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4}, 1, 2, 2);
        // torch.cat([x, x], dim=2) of [[1, 2], [3, 4]] is [[1, 2, 1, 2], [3, 4, 3, 4]]
        assertArrayEquals(new float[]{1, 2, 1, 2, 3, 4, 3, 4}, model.predict(x).toArray());
    }

    @Test
    void aSpecInAnyOrderRunsInDependencyOrderAndLayersKeepTheirInitialValues() {
        ModelSpec ordered = residualMlp();
        List<LayerSpec> shuffled = new java.util.ArrayList<>(ordered.layers());
        // out first (it names its input explicitly), then the rest with explicit inputs too
        List<LayerSpec> explicit = List.of(
                dense("out", 3, "tanh_2"),
                layer("tanh", "tanh_2", "add_1"),
                layer("add", "add_1", "dense_2", "input"),
                dense("dense_2", 6, "tanh_1"),
                layer("tanh", "tanh_1", "dense_1"),
                dense("dense_1", 6, "input"));
        Model a = PROPEL.build(ordered, 9);
        Model b = PROPEL.build(new ModelSpec(ordered.input(), explicit, ordered.loss(), null, List.of("out")), 9);
        assertEquals(List.of("dense_1", "tanh_1", "dense_2", "add_1", "tanh_2", "out"),
                b.layers().stream().map(dev.propel.spi.Layer::name).toList());
        Tensor x = RandomTensors.normal(new SplittableRandom(3), 4, 6);
        assertEquals(shuffled.size(), b.layers().size());
        // Generators are split in spec order, so the reordered spec gets other initial values, but the same function of them:
        b.loadParameters(a.parameters());
        assertArrayEquals(a.predict(x).toArray(), b.predict(x).toArray());
    }

    @Test
    void badGraphsAreRefusedNamingTheLayersAndShapes() {
        PropelException unknown = assertThrows(PropelException.class, () -> PROPEL.build(ModelSpec.builder().input(4)
                .layer(dense("d", 4)).layer(layer("add", "a", "d", "nowhere")).loss("mse").build(), 1));
        assertMentions(unknown, "layer 'a' (add) reads 'nowhere', which is no layer of the model", "[d, a]");
        PropelException cycle = assertThrows(PropelException.class, () -> PROPEL.build(ModelSpec.builder().input(4)
                .layer(dense("d1", 4, "d2")).layer(dense("d2", 4, "d1")).loss("mse").build(), 1));
        assertMentions(cycle, "cycle", "d1 <- [d2]", "d2 <- [d1]");
        PropelException dangling = assertThrows(PropelException.class, () -> PROPEL.build(ModelSpec.builder().input(4)
                .layer(dense("side", 4)).layer(dense("main", 2, "input")).loss("mse").build(), 1));
        assertMentions(dangling, "layer 'side' (dense) is dangling", "never reaches the model output 'main'");
        ShapeException shapes = assertThrows(ShapeException.class, () -> PROPEL.build(ModelSpec.builder().input(4)
                .layer(dense("conv_2", 8)).layer(dense("shortcut_1", 4, "input"))
                .layer(layer("add", "add_1", "conv_2", "shortcut_1")).loss("mse").build(), 1));
        assertMentions(shapes, "layer 'add_1' (add)", "input 'conv_2' has shape [8]", "input 'shortcut_1' has shape [4]");
        PropelException twoInputs = assertThrows(PropelException.class, () -> PROPEL.build(ModelSpec.builder().input(4)
                .layer(dense("d", 4)).layer(dense("e", 4, "d", "input")).loss("mse").build(), 1));
        assertMentions(twoInputs, "layer 'e' (dense) reads one input but the spec gives it 2: [d, input]", "add", "concat");
        PropelException reserved = assertThrows(PropelException.class, () -> PROPEL.build(ModelSpec.builder().input(4)
                .layer(dense("input", 4)).loss("mse").build(), 1));
        assertMentions(reserved, "named 'input'");
        PropelException outputs = assertThrows(PropelException.class, () -> PROPEL.build(ModelSpec.builder().input(4)
                .layer(dense("d", 4)).output("x").loss("mse").build(), 1));
        assertMentions(outputs, "output 'x' is no layer");
        ShapeException axis = assertThrows(ShapeException.class, () -> PROPEL.build(ModelSpec.builder().input(4)
                .layer(LayerSpec.of("concat", Map.of("axis", 0)).named("c").reading("input", "input")).loss("mse").build(), 1));
        assertMentions(axis, "axis 0 is out of range", "cannot be joined");
    }

    @Test
    void forwardForwardRefusesAGraphModel() {
        Model model = PROPEL.build(residualMlp(), 1);
        PropelException e = assertThrows(PropelException.class, () -> dev.propel.train.ff.FfStack.of(model));
        assertMentions(e, "Forward-Forward trains a plain stack", "this model is a graph", "add_1 <- [dense_2, input]",
                "train graph models with backprop");
    }

    // ---------------------------------------------------------------- helpers

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }

    private static dev.propel.spi.Layer layerNamed(Model model, String name) {
        return model.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    private static int countReaders(Model model, String name) {
        int n = 0;
        for (int i = 0; i < model.graph().size(); i++) {
            for (String in : model.graph().inputNames(i)) if (in.equals(name)) n++;
        }
        return n;
    }

    /**
     * Every parameter's analytic gradient (one training backward pass) against the central difference
     * {@code (L(w + h) − L(w − h)) / 2h} of the loss, entry by entry.
     */
    private static void checkGradients(ModelSpec spec, int[] inputShape, long seed) {
        Model model = PROPEL.build(spec, seed);
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = RandomTensors.normal(r, inputShape);
        int[] outShape = {inputShape[0], model.outputShape().size()};
        Tensor t = RandomTensors.normal(r, outShape);
        ModelSession session = model.trainingSession(seed);
        Tensor y = session.forward(x);
        Tensor grad = Tensor.zeros(y.shape());
        model.loss().compute(y, t, grad, model.kernels());
        session.zeroGradients();
        session.backward(grad);
        int checked = 0;
        for (Parameter p : session.parameters()) {
            float[] w = p.value().data();
            for (int i = 0; i < p.value().size(); i++) {
                float saved = w[i];
                float h = 1e-2f;
                w[i] = saved + h;
                double up = loss(model, x, t);
                w[i] = saved - h;
                double down = loss(model, x, t);
                w[i] = saved;
                double numeric = (up - down) / (2 * h);
                double analytic = p.gradient().data()[i];
                assertEquals(numeric, analytic, 2e-3 + 2e-2 * Math.abs(numeric), p.name() + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked > 20, "checked " + checked + " entries");
    }

    private static double loss(Model model, Tensor x, Tensor t) {
        return model.loss().compute(model.predict(x), t, null, model.kernels());
    }
}
