package dev.propel.format.onnx;

import dev.propel.model.LayerSpec;
import dev.propel.model.ModelSpec;
import dev.propel.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** The models the ONNX tests export: every exportable standard layer, in a stack and in a graph. */
final class ExportModels {
    private ExportModels() {
    }

    /** An MLP with every activation and dropout, fused and separate. */
    static ModelSpec everyActivation() {
        return ModelSpec.builder().input(12)
                .layer("dense", Map.of("units", 16, "activation", "relu"))
                .layer("dropout", Map.of("rate", 0.3f))
                .layer("dense", Map.of("units", 10, "activation", "sigmoid"))
                .layer("leaky_relu", Map.of("negative_slope", 0.2f))
                .layer("dense", Map.of("units", 9, "activation", "tanh"))
                .layer("dense", Map.of("units", 8, "use_bias", false))
                .layer("relu")
                .layer("dense", Map.of("units", 8))
                .layer("sigmoid")
                .layer("dense", Map.of("units", 8))
                .layer("tanh")
                .layer("gelu")
                .layer("dense", Map.of("units", 7))
                .layer("gelu", Map.of("approximate", "tanh"))
                .layer("dense", Map.of("units", 5))
                .layer("softmax")
                .loss("mse").build();
    }

    /** A graph: a residual add, a three-way sum, reshapes and concatenations along two axes, flatten. */
    static ModelSpec graph() {
        return ModelSpec.builder().input(6)
                .layer(LayerSpec.of("dense", Map.of("units", 6)).named("a"))
                .layer(LayerSpec.of("tanh").named("ta"))
                .layer(LayerSpec.of("add").named("residual").reading("ta", "input"))
                .layer(LayerSpec.of("dense", Map.of("units", 6)).named("b").reading("input"))
                .layer(LayerSpec.of("add").named("sum3").reading("residual", "b", "input"))
                .layer(LayerSpec.of("reshape", Map.of("shape", List.of(2, 3))).named("ra").reading("sum3"))
                .layer(LayerSpec.of("reshape", Map.of("shape", List.of(2, -1))).named("rb").reading("b"))
                .layer(LayerSpec.of("concat", Map.of("axis", 1)).named("rows").reading("ra", "rb"))
                .layer(LayerSpec.of("concat", Map.of("axis", -1)).named("cols").reading("ra", "rb"))
                .layer(LayerSpec.of("flatten").named("f_rows").reading("rows"))
                .layer(LayerSpec.of("flatten").named("f_cols").reading("cols"))
                .layer(LayerSpec.of("concat").named("both").reading("f_rows", "f_cols"))
                .layer(LayerSpec.of("dense", Map.of("units", 3)).named("out"))
                .loss("cross_entropy").build();
    }

    /** {@code rows} random rows of {@code features} values in [-2, 2). */
    static Tensor input(long seed, int rows, int... features) {
        Random r = new Random(seed);
        int n = rows;
        for (int f : features) n *= f;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat() * 4f - 2f;
        int[] dims = new int[features.length + 1];
        dims[0] = rows;
        System.arraycopy(features, 0, dims, 1, features.length);
        return Tensor.of(v, dims);
    }
}
