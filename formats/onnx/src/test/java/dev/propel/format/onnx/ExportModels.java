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

    /**
     * The convolutional layers with every export form of their attributes: conv with groups, dilation, stride,
     * "same" with an even kernel (asymmetric pads), "valid", pairs and no bias; both pools with padding and
     * strides (the average counting the padding); batch norm; layer norm over the channels of [C, H, W], over
     * [H, W] and over the last axis; layer scale; global average pooling into a dense head.
     */
    static ModelSpec convolutional() {
        return ModelSpec.builder().input(2, 11, 10)
                .layer(LayerSpec.of("conv2d", Map.of("out_channels", 4, "kernel_size", 3, "padding", 1)).named("c1"))
                .layer(LayerSpec.of("batch_norm").named("bn"))
                .layer(LayerSpec.of("conv2d", Map.of("out_channels", 4, "kernel_size", 2, "padding", "same", "groups", 2,
                        "dilation", List.of(2, 1), "bias", false)).named("c_same"))
                .layer(LayerSpec.of("layer_norm", Map.of("axes", List.of(0), "eps", 1e-6f)).named("ln_channels"))
                .layer(LayerSpec.of("max_pool2d", Map.of("kernel_size", 3, "stride", 2, "padding", 1)).named("max"))
                .layer(LayerSpec.of("conv2d", Map.of("out_channels", 8, "kernel_size", List.of(3, 2), "stride", List.of(1, 2),
                        "padding", List.of(1, 0))).named("c_pair"))
                .layer(LayerSpec.of("layer_scale").named("scale"))
                .layer(LayerSpec.of("avg_pool2d", Map.of("kernel_size", 3, "stride", 1, "padding", 1)).named("avg_padded"))
                .layer(LayerSpec.of("layer_norm", Map.of("axes", List.of(1, 2))).named("ln_plane"))
                .layer(LayerSpec.of("avg_pool2d", Map.of("kernel_size", 2)).named("avg"))
                .layer(LayerSpec.of("conv2d", Map.of("out_channels", 8, "kernel_size", 1, "padding", "valid", "groups", 8)).named("c_depthwise"))
                .layer(LayerSpec.of("global_avg_pool").named("pool"))
                .layer(LayerSpec.of("layer_norm").named("ln_last"))
                .layer(LayerSpec.of("dense", Map.of("units", 5)).named("head"))
                .loss("cross_entropy").build();
    }

    /**
     * Gives every 1-D parameter (biases, norm gains, layer scales) and state tensor (running statistics) of
     * {@code model} random values, so that a test sees each of them at work rather than their neutral starts.
     */
    static void randomizeNormalization(dev.propel.model.Model model, long seed) {
        Random r = new Random(seed);
        model.parameters().forEach((name, t) -> {
            if (t.shape().rank() == 1 || name.endsWith(".gamma")) fill(t, r, name.endsWith(".bias") ? -0.5f : 0.5f, 1f);
        });
        model.state().forEach((name, t) -> {
            if (name.endsWith(".running_mean")) fill(t, r, -0.5f, 1f);
            if (name.endsWith(".running_var")) fill(t, r, 0.5f, 1.5f);
        });
    }

    private static void fill(Tensor t, Random r, float from, float width) {
        float[] d = t.data();
        for (int i = t.offset(); i < t.offset() + t.size(); i++) d[i] = from + width * r.nextFloat();
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
