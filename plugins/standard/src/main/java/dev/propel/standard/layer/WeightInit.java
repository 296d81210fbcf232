package dev.propel.standard.layer;

import dev.propel.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Initial values for a weight matrix with {@code fanIn} inputs and {@code fanOut} outputs, and for
 * its bias. Only {@link #UNIFORM_FAN_IN} gives the bias random values, {@link #CONSTANT} the given
 * one; the others start it at zero.
 */
public enum WeightInit {
    /**
     * PyTorch's {@code nn.Linear} default: weight and bias ~ U(−1/√fan_in, 1/√fan_in). (PyTorch writes
     * the weight part as {@code kaiming_uniform_(a=√5)}, which is the same bound.)
     */
    UNIFORM_FAN_IN,
    /** He / Kaiming normal, for ReLU networks: weight ~ N(0, 2/fan_in), bias 0. */
    HE_NORMAL,
    /** He / Kaiming uniform: weight ~ U(±√(6/fan_in)), bias 0. */
    HE_UNIFORM,
    /** Glorot / Xavier normal, for tanh/sigmoid networks: weight ~ N(0, 2/(fan_in + fan_out)), bias 0. */
    GLOROT_NORMAL,
    /** Glorot / Xavier uniform: weight ~ U(±√(6/(fan_in + fan_out))), bias 0. */
    GLOROT_UNIFORM,
    /** LeCun normal (Hinton's Forward-Forward code): weight ~ N(0, 1/fan_in), bias 0. */
    LECUN_NORMAL,
    /** Every weight and bias 0 (a worked example, or a layer that should start as a no-op). */
    ZEROS,
    /** Every weight {@code weightValue}, every bias {@code biasValue} (e.g. the bias 0.35 of a textbook example). */
    CONSTANT;

    /** The attribute value naming this scheme, e.g. {@code "he_normal"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** All attribute values, in declaration order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(WeightInit::id).toList();
    }

    /** The attribute values of all schemes but {@code excluded}, in declaration order. */
    public static List<String> idsExcept(WeightInit excluded) {
        return Arrays.stream(values()).filter(w -> w != excluded).map(WeightInit::id).toList();
    }

    /**
     * The scheme whose attribute value is {@code id} (case-insensitive); throws {@link IllegalArgumentException} for
     * an unknown one.
     */
    public static WeightInit fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /**
     * Fills {@code weight} (fan_out × fan_in values) and {@code bias} (may be null) from {@code random};
     * {@link #CONSTANT} fills them with {@code weightValue} and {@code biasValue} instead.
     */
    void initialize(Tensor weight, Tensor bias, int fanIn, int fanOut, RandomGenerator random, float weightValue, float biasValue) {
        float[] w = weight.data();
        int n = weight.size();
        switch (this) {
            case UNIFORM_FAN_IN -> uniform(w, n, 1.0 / Math.sqrt(fanIn), random);
            case HE_NORMAL -> normal(w, n, Math.sqrt(2.0 / fanIn), random);
            case HE_UNIFORM -> uniform(w, n, Math.sqrt(6.0 / fanIn), random);
            case GLOROT_NORMAL -> normal(w, n, Math.sqrt(2.0 / (fanIn + fanOut)), random);
            case GLOROT_UNIFORM -> uniform(w, n, Math.sqrt(6.0 / (fanIn + fanOut)), random);
            case LECUN_NORMAL -> normal(w, n, Math.sqrt(1.0 / fanIn), random);
            case ZEROS -> Arrays.fill(w, 0, n, 0f);
            case CONSTANT -> Arrays.fill(w, 0, n, weightValue);
        }
        if (bias != null) {
            if (this == UNIFORM_FAN_IN) {
                uniform(bias.data(), bias.size(), 1.0 / Math.sqrt(fanIn), random);
            } else if (this == CONSTANT) {
                Arrays.fill(bias.data(), 0, bias.size(), biasValue);
            } else {
                Arrays.fill(bias.data(), 0, bias.size(), 0f);
            }
        }
    }

    // Drawing random numbers is not arithmetic on tensors, so these loops live here, not in Kernels.
    private static void uniform(float[] x, int n, double bound, RandomGenerator random) {
        for (int i = 0; i < n; i++) x[i] = (float) random.nextDouble(-bound, bound);
    }

    private static void normal(float[] x, int n, double std, RandomGenerator random) {
        for (int i = 0; i < n; i++) x[i] = (float) (random.nextGaussian() * std);
    }
}
