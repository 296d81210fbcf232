package dev.propel.standard.loss;

import com.google.inject.Inject;
import dev.propel.kernel.Kernels;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.standard.kernel.LossKernels;
import dev.propel.tensor.Tensor;

/**
 * Binary cross-entropy, the mean over all N elements, for targets in [0, 1].
 * <p>With {@code from_logits = false} (default; PyTorch's {@code BCELoss}) the predictions are
 * probabilities p:
 * <pre>
 *   L = −(1/N) Σ_i [t_i·ln p_i + (1 − t_i)·ln(1 − p_i)]      (each log clamped at −100)
 *   ∂L/∂p_i = (p_i − t_i) / (N · max(p_i(1 − p_i), 1e-12))
 * </pre>
 * With {@code from_logits = true} (PyTorch's {@code BCEWithLogitsLoss}, more stable) they are
 * logits z:
 * <pre>
 *   L = (1/N) Σ_i [max(z_i, 0) − z_i·t_i + ln(1 + e^−|z_i|)]    ∂L/∂z_i = (σ(z_i) − t_i) / N
 * </pre>
 */
public final class BinaryCrossEntropy implements Loss {
    /**
     * The type id: binary cross-entropy averaged over all elements, on probabilities or (with {@code from_logits})
     * logits.
     */
    public static final String TYPE = "binary_cross_entropy";

    private final Attributes attributes;
    private final boolean fromLogits;
    private final LossKernels lossKernels;

    BinaryCrossEntropy(Attributes attributes, LossKernels lossKernels) {
        this.attributes = attributes;
        this.fromLogits = attributes.getBool("from_logits");
        this.lossKernels = lossKernels;
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }

    @Override
    public float compute(Tensor predictions, Tensor targets, Tensor gradient, Kernels k) {
        LossInputs.check(TYPE, predictions, targets, gradient);
        int n = predictions.size();
        float[] g = gradient == null ? null : gradient.data();
        float total = lossKernels.binaryCrossEntropy(predictions.data(), targets.data(), g, n, fromLogits);
        if (g != null) k.scale(1f / n, g, g, n);
        return total / n;
    }

    @Override
    public String toString() {
        return "loss '" + TYPE + "'" + (fromLogits ? " from logits" : "");
    }

    /** Makes {@link BinaryCrossEntropy} losses. */
    public static final class Factory implements LossFactory {
        private static final AttributeSchema SCHEMA = AttributeSchema.builder()
                .boolAttr("from_logits", false, "true when predictions are logits rather than probabilities")
                .build();

        private final LossKernels lossKernels;

        /** Created by Guice with the plugin's loss kernels. */
        @Inject
        public Factory(LossKernels lossKernels) {
            this.lossKernels = lossKernels;
        }

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "binary cross-entropy averaged over all elements (probabilities, or logits with from_logits)";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Loss create(Attributes attributes) {
            return new BinaryCrossEntropy(attributes, lossKernels);
        }
    }
}
