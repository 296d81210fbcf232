package dev.propel.model;

import dev.propel.Propel;
import dev.propel.fakes.PluginFixtures;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Model#predict} and {@link Model#predictClasses} on batches larger than {@link Model#PREDICT_ROWS}. */
class ModelPredictChunksTest {
    private static final int FEATURES = 6;
    private static final int OUTPUTS = 4;
    private static Propel propel;
    private static Model model;

    @BeforeAll
    static void build() {
        propel = PluginFixtures.discovered();
        model = propel.build(ModelSpec.builder().input(FEATURES).loss("fake_squared_error")
                .layer("fake_project", Map.of("units", 5))
                .layer("fake_scale", Map.of("factor", 0.5))
                .layer("fake_project", Map.of("units", OUTPUTS))
                .build(), 3);
    }

    @AfterAll
    static void close() {
        propel.close();
    }

    private static Tensor inputs(int rows) {
        return Tensor.randn(new SplittableRandom(rows), 1f, rows, FEATURES);
    }

    /**
     * The outputs of each row predicted on its own, stacked: what any chunking must give, up to rounding (a
     * one-row product may add its terms in another order than a many-row one).
     */
    private static float[] rowByRow(Tensor x) {
        float[] out = new float[x.rows() * OUTPUTS];
        for (int r = 0; r < x.rows(); r++) {
            System.arraycopy(model.predict(x.slice(0, r, 1)).toArray(), 0, out, r * OUTPUTS, OUTPUTS);
        }
        return out;
    }

    @Test
    void aBatchOfSeveralChunksGivesTheOutputsOfEachRowInOrder() {
        int n = 2 * Model.PREDICT_ROWS + 37;
        Tensor x = inputs(n);
        Tensor y = model.predict(x);
        assertEquals(Shape.of(n, OUTPUTS), y.shape());
        assertArrayEquals(rowByRow(x), y.toArray(), 1e-5f);
    }

    @Test
    void aViewIntoALargerBatchIsReadFromItsOwnRows() {
        Tensor all = inputs(Model.PREDICT_ROWS + 300);
        Tensor view = all.slice(0, 100, Model.PREDICT_ROWS + 20);
        assertArrayEquals(rowByRow(view), model.predict(view).toArray(), 1e-5f);
    }

    @Test
    void classesAreTheArgmaxOfTheChunkedOutputs() {
        int n = Model.PREDICT_ROWS + 3;
        Tensor x = inputs(n);
        float[] y = model.predict(x).toArray();
        int[] expected = new int[n];
        for (int r = 0; r < n; r++) {
            for (int c = 1; c < OUTPUTS; c++) {
                if (y[r * OUTPUTS + c] > y[r * OUTPUTS + expected[r]]) expected[r] = c;
            }
        }
        assertArrayEquals(expected, model.predictClasses(x));
        assertArrayEquals(Arrays.copyOf(expected, 5), model.predictClasses(x.slice(0, 0, 5)));
    }

    @Test
    void aWrongShapeIsRefusedWhateverTheBatchSize() {
        Tensor wide = Tensor.zeros(Model.PREDICT_ROWS + 1, FEATURES + 1);
        assertThrows(ShapeException.class, () -> model.predict(wide));
        assertThrows(ShapeException.class, () -> model.predictClasses(wide));
    }
}
