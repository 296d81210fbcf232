package dev.propel.standard;

import dev.propel.spi.PropelPlugin;
import dev.propel.testkit.InvalidAttributes;
import dev.propel.testkit.LayerCase;
import dev.propel.testkit.LayerContract;
import dev.propel.testkit.LossCase;
import dev.propel.testkit.LossContract;
import dev.propel.testkit.OptimizerCase;
import dev.propel.testkit.OptimizerContract;
import dev.propel.testkit.PluginContract;
import dev.propel.testkit.RandomTensors;
import dev.propel.testkit.TensorSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every built-in type through the testkit's contracts (shapes and shape errors, finite-difference
 * gradients on sizes that are not multiples of the vector length, attribute errors, determinism,
 * concurrent use; descent and exact state round trips for optimizers). This proves the kit on every
 * built-in type; the other tests of this plugin check what is specific to each type.
 */
class StandardContractsTest {

    /** Inputs keep 0.05 away from 0, farther than the finite-difference step, because of the ReLU kinks. */
    private static final TensorSource AWAY_FROM_KINK = (rng, dims) -> RandomTensors.awayFromZero(rng, 0.05f, 2.5f, dims);

    static List<LayerCase> layerCases() {
        List<LayerCase> cases = new ArrayList<>();
        cases.add(LayerCase.of("dense", Map.of("units", 5)).inputShape(17)
                .rejects(new InvalidAttributes(Map.of("units", 0), "'units'", ">= 1", "got 0"))
                .rejects(new InvalidAttributes(Map.of("units", 3, "init", "xavier"), "'xavier'", "he_normal", "uniform_fan_in")));
        cases.add(LayerCase.of("dense", Map.of("units", 19, "use_bias", false, "init", "he_normal")).inputShape(33).batches(1, 7));
        cases.add(LayerCase.of("dense", Map.of("units", 1, "init", "glorot_uniform")).inputShape(1));
        for (String type : List.of("sigmoid", "tanh", "relu", "leaky_relu", "gelu", "softmax")) {
            cases.add(LayerCase.of(type).inputShape(17).inputShape(3, 5).inputs(AWAY_FROM_KINK));
        }
        cases.add(LayerCase.of("leaky_relu", Map.of("negative_slope", 0.2)).inputShape(17).inputShape(3, 5).inputs(AWAY_FROM_KINK)
                .rejects(new InvalidAttributes(Map.of("negative_slope", -0.1), "'negative_slope'", ">= 0")));
        cases.add(LayerCase.of("gelu", Map.of("approximate", "tanh")).inputShape(17).inputs(AWAY_FROM_KINK)
                .rejects(new InvalidAttributes(Map.of("approximate", "sigmoid"), "'approximate'", "[none, tanh]", "'sigmoid'")));
        cases.add(LayerCase.of("dropout", Map.of("rate", 0.25)).inputShape(17).inputShape(2, 3)
                .rejects(new InvalidAttributes(Map.of("rate", 1.0), "'rate'", ">= 0 and < 1", "got 1.0"))
                .rejects(new InvalidAttributes(Map.of("rate", -0.1), "'rate'", ">= 0"))
                .rejects(new InvalidAttributes(Map.of("rate", "half"), "'rate'", "a number")));
        cases.add(LayerCase.of("dropout", Map.of("rate", 0.0)).inputShape(17));
        cases.add(LayerCase.of("add").inputShapes(new int[] {17}, new int[] {17})
                .inputShapes(new int[] {3, 5}, new int[] {3, 5}, new int[] {3, 5})
                .rejectsInputShapes(new int[] {17}, new int[] {16})
                .rejectsInputShapes(new int[] {3, 5}, new int[] {5, 3}));
        cases.add(LayerCase.of("concat", Map.of("axis", 1)).inputShapes(new int[] {3, 5}, new int[] {2, 5})
                .inputShapes(new int[] {17}, new int[] {4}, new int[] {1})
                .rejectsInputShapes(new int[] {3, 5}, new int[] {3, 4}));
        cases.add(LayerCase.of("concat", Map.of("axis", -1)).inputShapes(new int[] {3, 5}, new int[] {3, 2})
                .inputShapes(new int[] {2, 3, 4}, new int[] {2, 3, 3})
                .rejectsInputShapes(new int[] {3, 5}, new int[] {4, 2})
                .rejectsInputShapes(new int[] {3, 5}, new int[] {15}));
        cases.add(LayerCase.of("concat").inputShapes(new int[] {7}, new int[] {2}));
        cases.add(LayerCase.of("concat", Map.of("axis", 2)).inputShapes(new int[] {2, 3, 5}, new int[] {2, 1, 5})
                .rejectsInputShapes(new int[] {2, 3, 5}, new int[] {3, 1, 5}));
        cases.add(LayerCase.of("flatten").inputShape(3, 5).inputShape(2, 3, 4).inputShape(7));
        cases.add(LayerCase.of("reshape", Map.of("shape", List.of(3, -1))).inputShape(15).inputShape(3, 5)
                .rejectsInputShape(4)
                .rejects(new InvalidAttributes(Map.of("shape", List.of(-1, -1)), "one -1")));
        // Normalization layers (issue 12): NCHW, channels on axis 0 of the per-sample shape.
        // [3, 5, 7] and [3, 17] go through NormKernels (>= 8 values per channel and sample), [3, 2, 2] through the
        // core's primitives.
        cases.add(LayerCase.of("batch_norm").inputShape(3, 5, 7).inputShape(3, 17).inputShape(3, 2, 2)
                .rejects(new InvalidAttributes(Map.of("momentum", 1.5), "'momentum'", "<= 1"))
                .rejects(new InvalidAttributes(Map.of("eps", 0), "'eps'", "> 0")));
        // [C] (BatchNorm1d): a training pass needs at least two samples; with very few, x̂ bends sharply where two
        // samples come close, so the finite differences take more samples and a smaller step.
        cases.add(LayerCase.of("batch_norm", Map.of("affine", false, "momentum", 0.5)).inputShape(17).batches(5, 8).epsilon(3e-3));
        cases.add(LayerCase.of("batch_norm", Map.of("affine", false)).inputShape(2, 3, 7));
        cases.add(LayerCase.of("layer_norm").inputShape(17).inputShape(3, 5).inputShape(1)
                .rejects(new InvalidAttributes(Map.of("eps", -1), "'eps'", "> 0")));
        // Seven channels per pixel (with three, a pixel whose channels nearly agree bends too sharply for finite differences);
        // [7, 3, 5] goes through NormKernels (15 pixels per block), [5] and the cases below through the core's primitives.
        cases.add(LayerCase.of("layer_norm", Map.of("axes", List.of(0), "eps", 1e-6)).inputShape(7, 3, 5).inputShape(5).epsilon(3e-3)
                .rejects(new InvalidAttributes(Map.of("axes", List.of(0, 2)), "'axes'", "consecutive"))
                .rejects(new InvalidAttributes(Map.of("axes", List.of(1, 1)), "'axes'", "twice")));
        cases.add(LayerCase.of("layer_norm", Map.of("axes", List.of(-2, -1))).inputShape(2, 3, 5).inputShape(3, 5)
                .rejectsInputShape(17));
        cases.add(LayerCase.of("layer_norm", Map.of("axes", List.of(0, 1), "elementwise_affine", false)).inputShape(3, 5, 7)
                .rejectsInputShape(7));
        cases.add(LayerCase.of("layer_scale", Map.of("init", 0.5)).inputShape(3, 5, 7).inputShape(17));
        cases.add(LayerCase.of("layer_scale").inputShape(5, 3));
        cases.add(LayerCase.of("global_avg_pool").inputShape(3, 5, 7).inputShape(17, 1, 1)
                .rejectsInputShape(17).rejectsInputShape(3, 5));
        cases.addAll(convolutionCases());
        cases.addAll(recurrentCases());
        return cases;
    }

    /**
     * Distinct values 0.05 apart in random order: no two within a window are closer than the finite-difference
     * step, so perturbing one never changes which is the maximum.
     */
    static final TensorSource DISTINCT = (rng, dims) -> {
        dev.propel.tensor.Tensor t = dev.propel.tensor.Tensor.zeros(dims);
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) v[i] = (i - v.length / 2) * 0.05f;
        for (int i = v.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float tmp = v[i];
            v[i] = v[j];
            v[j] = tmp;
        }
        return t;
    };

    /** conv2d, max_pool2d and avg_pool2d on odd shapes: non-square kernels, stride 2, padding, dilation, groups. */
    static List<LayerCase> convolutionCases() {
        List<LayerCase> cases = new ArrayList<>();
        cases.add(LayerCase.of("conv2d", Map.of("out_channels", 3, "kernel_size", List.of(3, 2), "stride", 2, "padding", List.of(1, 0)))
                .inputShape(2, 7, 6).inputShape(1, 3, 2).batches(1, 3)
                .rejectsInputShape(17).rejectsInputShape(7, 6)
                .rejects(new InvalidAttributes(Map.of("out_channels", 3), "'kernel_size'", "required"))
                .rejects(new InvalidAttributes(Map.of("out_channels", 3, "kernel_size", List.of(3, 0)), "'kernel_size'", ">= 1"))
                .rejects(new InvalidAttributes(Map.of("out_channels", 3, "kernel_size", 3, "padding", "full"), "'padding'", "[same, valid]")));
        cases.add(LayerCase.of("conv2d", Map.of("out_channels", 4, "kernel_size", 3, "dilation", 2, "padding", "same",
                        "groups", 2, "bias", false))
                .inputShape(2, 7, 8).inputShape(4, 5, 5));
        cases.add(LayerCase.of("conv2d", Map.of("out_channels", 2, "kernel_size", List.of(2, 4), "padding", "same", "init", "he_normal"))
                .inputShape(3, 5, 6));
        cases.add(LayerCase.of("conv2d", Map.of("out_channels", 3, "kernel_size", 3, "groups", 3, "padding", 1))
                .inputShape(3, 5, 6).inputShape(3, 1, 9));
        cases.add(LayerCase.of("conv2d", Map.of("out_channels", 3, "kernel_size", List.of(3, 2), "groups", 3, "stride", List.of(2, 1),
                        "dilation", List.of(1, 2), "bias", false))
                .inputShape(3, 7, 6));
        cases.add(LayerCase.of("conv2d", Map.of("out_channels", 4, "kernel_size", 1, "groups", 2, "padding", "valid"))
                .inputShape(2, 3, 5));
        cases.add(LayerCase.of("max_pool2d", Map.of("kernel_size", 2)).inputShape(2, 5, 6).inputs(DISTINCT)
                .rejectsInputShape(30)
                .rejects(new InvalidAttributes(Map.of("kernel_size", 2, "padding", 2), "'padding'", "half")));
        cases.add(LayerCase.of("max_pool2d", Map.of("kernel_size", List.of(3, 2), "stride", 2, "padding", 1))
                .inputShape(3, 6, 5).inputs(DISTINCT));
        cases.add(LayerCase.of("avg_pool2d", Map.of("kernel_size", 2)).inputShape(2, 5, 6).rejectsInputShape(5, 6));
        cases.add(LayerCase.of("avg_pool2d", Map.of("kernel_size", List.of(3, 2), "stride", List.of(2, 1), "padding", 1))
                .inputShape(3, 6, 5));
        return cases;
    }

    /**
     * The recurrent layers: finite-difference gradients through several time steps, stacked, in both
     * directions, with the last step or the whole sequence as output; sizes that are not multiples of the
     * vector length. A rank-1 input and a sequence of zero steps are refused.
     */
    static List<LayerCase> recurrentCases() {
        List<LayerCase> cases = new ArrayList<>();
        cases.add(LayerCase.of("rnn", Map.of("hidden_size", 5)).inputShape(4, 3).batches(1, 3)
                .rejectsInputShape(12).rejectsInputShape(0, 3)
                .rejects(new InvalidAttributes(Map.of("hidden_size", 5, "nonlinearity", "sigmoid"), "'nonlinearity'", "[tanh, relu]"))
                .rejects(new InvalidAttributes(Map.of("hidden_size", 0), "'hidden_size'", ">= 1")));
        cases.add(LayerCase.of("rnn", Map.of("hidden_size", 3, "nonlinearity", "relu", "return_sequences", true,
                "bidirectional", true)).inputShape(3, 2));
        cases.add(LayerCase.of("rnn", Map.of("hidden_size", 17, "num_layers", 2)).inputShape(5, 3));
        cases.add(LayerCase.of("lstm", Map.of("hidden_size", 5)).inputShape(4, 3).batches(1, 3)
                .rejectsInputShape(4, 3, 2).rejectsInputShape(4, 0)
                .rejects(new InvalidAttributes(Map.of("hidden_size", 5, "num_layers", 0), "'num_layers'", ">= 1")));
        cases.add(LayerCase.of("lstm", Map.of("hidden_size", 3, "num_layers", 2, "bidirectional", true,
                "return_sequences", true)).inputShape(3, 2));
        cases.add(LayerCase.of("lstm", Map.of("hidden_size", 17, "bidirectional", true, "bias", false)).inputShape(4, 3));
        cases.add(LayerCase.of("gru", Map.of("hidden_size", 5)).inputShape(4, 3).batches(1, 3).rejectsInputShape(12));
        cases.add(LayerCase.of("gru", Map.of("hidden_size", 3, "num_layers", 2, "bidirectional", true,
                "return_sequences", true)).inputShape(3, 2));
        cases.add(LayerCase.of("gru", Map.of("hidden_size", 17, "return_sequences", true, "bias", false)).inputShape(4, 3));
        cases.addAll(sequenceCases());
        return cases;
    }

    /** Sequences of T = 5 steps with a lengths input [1] in 1 .. 5 (the second input, not differentiated). */
    private static final TensorSource SEQUENCE_AND_LENGTHS = (rng, dims) -> dims.length == 2 && dims[1] == 1
            ? integers(rng, 1, 6, dims) : RandomTensors.normal(rng, dims);

    /** Integer values in [from, to) as floats: token ids and lengths. */
    static dev.propel.tensor.Tensor integers(java.util.random.RandomGenerator rng, int from, int to, int... dims) {
        dev.propel.tensor.Tensor t = dev.propel.tensor.Tensor.zeros(dims);
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) v[i] = rng.nextInt(from, to);
        return t;
    }

    /** The sequence features: lengths inputs, sequence_lengths, embedding, dense over the last axis. */
    static List<LayerCase> sequenceCases() {
        List<LayerCase> cases = new ArrayList<>();
        for (String type : List.of("rnn", "lstm", "gru")) {
            cases.add(LayerCase.of(type, Map.of("hidden_size", 3, "bidirectional", true, "return_sequences", true))
                    .inputShapes(new int[] {5, 3}, new int[] {1}).inputs(SEQUENCE_AND_LENGTHS).discreteInputs(1).batches(1, 4)
                    .rejectsInputShapes(new int[] {5, 3}, new int[] {2}));
            cases.add(LayerCase.of(type, Map.of("hidden_size", 17, "num_layers", 2))
                    .inputShapes(new int[] {5, 2}, new int[] {1}).inputs(SEQUENCE_AND_LENGTHS).discreteInputs(1).batches(1, 4));
        }
        // Padded with 0 after a random length; the lengths are piecewise constant, so the input is not differentiated.
        TensorSource padded = (rng, dims) -> {
            dev.propel.tensor.Tensor t = RandomTensors.awayFromZero(rng, 0.1f, 2f, dims);
            int perSample = t.size() / dims[0], steps = dims[1], stepSize = perSample / steps;
            for (int b = 0; b < dims[0]; b++) {
                int length = rng.nextInt(steps + 1);
                java.util.Arrays.fill(t.data(), b * perSample + length * stepSize, (b + 1) * perSample, 0f);
            }
            return t;
        };
        cases.add(LayerCase.of("sequence_lengths").inputShape(5, 3).inputShape(7).inputs(padded).discreteInputs(0));
        cases.add(LayerCase.of("sequence_lengths", Map.of("padding_value", -1)).inputShape(4, 17).discreteInputs(0));
        // Ids from 1: the padding row 0 gets no gradient by definition, which finite differences would see.
        cases.add(LayerCase.of("embedding", Map.of("num_embeddings", 11, "embedding_dim", 17, "padding_idx", 0))
                .inputShape(5).inputShape(2, 3).inputs((rng, dims) -> integers(rng, 1, 11, dims)).discreteInputs(0)
                .rejects(new InvalidAttributes(Map.of("num_embeddings", 11, "embedding_dim", 3, "padding_idx", -2), "'padding_idx'", ">= -1"))
                .rejects(new InvalidAttributes(Map.of("num_embeddings", 0, "embedding_dim", 3), "'num_embeddings'", ">= 1")));
        cases.add(LayerCase.of("embedding", Map.of("num_embeddings", 3, "embedding_dim", 5)).inputShape(7)
                .inputs((rng, dims) -> integers(rng, 0, 3, dims)).discreteInputs(0));
        cases.add(LayerCase.of("dense", Map.of("units", 7)).inputShape(3, 5).inputShape(2, 3, 17));
        cases.add(LayerCase.of("dense", Map.of("units", 3, "activation", "tanh", "use_bias", false)).inputShape(4, 17));
        return cases;
    }

    static List<LossCase> lossCases() {
        TensorSource oneHot = (rng, dims) -> RandomTensors.oneHot(rng, dims[0], dims[1]);
        TensorSource distributions = (rng, dims) -> RandomTensors.probabilityRows(rng, dims[0], dims[1]);
        TensorSource unit = (rng, dims) -> RandomTensors.uniform(rng, 0f, 1f, dims);
        TensorSource wideLogits = (rng, dims) -> RandomTensors.normal(rng, 2f, dims);
        return List.of(
                LossCase.of("mse").shape(3, 17).shape(1, 1).shape(2, 3, 5),
                LossCase.of("cross_entropy").shape(3, 17).shape(1, 1).shape(5, 3).predictions(wideLogits).targets(oneHot),
                LossCase.of("cross_entropy").shape(3, 17).predictions(wideLogits).targets(distributions),
                LossCase.of("cross_entropy", Map.of("label_smoothing", 0.2)).shape(3, 17).predictions(wideLogits).targets(oneHot)
                        .rejects(new InvalidAttributes(Map.of("label_smoothing", 1), "'label_smoothing'", "< 1")),
                // Rows that do not sum to 1: the general gradient q·Σt − t, as PyTorch.
                LossCase.of("cross_entropy", Map.of("label_smoothing", 0.1)).shape(3, 17).predictions(wideLogits).targets(unit),
                // Per-step one-hot rows, some all-zero (ignored steps), some sequences entirely ignored.
                LossCase.of("sequence_cross_entropy").shape(3, 4, 17).shape(2, 5, 3).shape(1, 1, 1).predictions(wideLogits)
                        .targets((rng, dims) -> {
                            int cols = dims[dims.length - 1], rows = RandomTensors.normal(rng, dims).size() / cols;
                            int[] labels = RandomTensors.labels(rng, rows, cols);
                            for (int r = 0; r < rows; r++) if (rng.nextInt(3) == 0) labels[r] = -100;
                            return dev.propel.standard.loss.SequenceCrossEntropy.oneHot(labels, rows, cols).reshape(dims);
                        }),
                LossCase.of("binary_cross_entropy").shape(3, 17).shape(1, 1)
                        .predictions((rng, dims) -> RandomTensors.uniform(rng, 0.2f, 0.8f, dims)).targets(unit),
                LossCase.of("binary_cross_entropy", Map.of("from_logits", true)).shape(3, 17).shape(2, 3, 5)
                        .predictions((rng, dims) -> RandomTensors.normal(rng, 3f, dims)).targets(unit)
                        .rejects(new InvalidAttributes(Map.of("from_logits", 1), "'from_logits'", "true or false")));
    }

    static List<OptimizerCase> optimizerCases() {
        return List.of(
                OptimizerCase.of("sgd", Map.of("weight_decay", 0.01))
                        .rejects(new InvalidAttributes(Map.of("learning_rate", 0), "'learning_rate'", "> 0")),
                OptimizerCase.of("momentum", Map.of("nesterov", true, "weight_decay", 0.01))
                        .rejects(new InvalidAttributes(Map.of("weight_decay", -1), "'weight_decay'", ">= 0")),
                OptimizerCase.of("momentum"),
                OptimizerCase.of("rmsprop", Map.of("weight_decay", 0.01)),
                OptimizerCase.of("adagrad", Map.of("learning_rate", 0.1)),
                OptimizerCase.of("adam", Map.of("learning_rate", 0.01, "weight_decay", 0.01))
                        .rejects(new InvalidAttributes(Map.of("beta2", 1.0), "'beta2'", "< 1")),
                OptimizerCase.of("adamw", Map.of("learning_rate", 0.01)));
    }

    @Nested
    class Layers extends LayerContract {
        @Override
        protected List<LayerCase> layerCases() {
            return StandardContractsTest.layerCases();
        }
    }

    @Nested
    class Losses extends LossContract {
        @Override
        protected List<LossCase> lossCases() {
            return StandardContractsTest.lossCases();
        }
    }

    @Nested
    class Optimizers extends OptimizerContract {
        @Override
        protected List<OptimizerCase> optimizerCases() {
            return StandardContractsTest.optimizerCases();
        }
    }

    @Nested
    class Plugin extends PluginContract {
        @Override
        protected PropelPlugin plugin() {
            return new StandardPlugin();
        }
    }

    @Test
    void everyBuiltInTypeHasACase() {
        var info = Standard.PROPEL.plugins().getFirst();
        Set<String> covered = new TreeSet<>();
        layerCases().forEach(c -> covered.add(c.typeId()));
        lossCases().forEach(c -> covered.add(c.typeId()));
        optimizerCases().forEach(c -> covered.add(c.typeId()));
        Set<String> provided = new TreeSet<>();
        provided.addAll(info.layers());
        provided.addAll(info.losses());
        provided.addAll(info.optimizers());
        assertEquals(provided, covered);
    }
}
