package dev.propel.standard.layer;

import dev.propel.kernel.Kernels;
import dev.propel.spi.PropelException;

import java.util.ArrayList;
import java.util.List;

/**
 * The activation a {@link Dense} layer can apply to its own output (attribute {@code activation}),
 * so that the bias add and the activation take one pass over the output instead of a separate
 * layer's pass, buffer and saved tensor. With {@code z = X·Wᵀ + b} and {@code Y = f(z)}:
 * <pre>
 *   none     f(z) = z                    ∂L/∂z = ∂L/∂Y
 *   relu     f(z) = max(z, 0)            ∂L/∂z = ∂L/∂Y · [Y &gt; 0]       (bias add and ReLU fused)
 *   sigmoid  f(z) = 1 / (1 + e^−z)       ∂L/∂z = ∂L/∂Y · Y·(1 − Y)
 *   tanh     f(z) = tanh(z)              ∂L/∂z = ∂L/∂Y · (1 − Y²)
 * </pre>
 * Every derivative is written from the output Y, so the layer keeps no copy of z. The results are
 * bitwise those of a {@code dense} layer followed by the matching activation layer.
 */
enum DenseActivation {
    NONE("none"),
    RELU("relu"),
    SIGMOID("sigmoid"),
    TANH("tanh");

    private final String id;

    DenseActivation(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (DenseActivation a : values()) ids.add(a.id);
        return ids;
    }

    /** The activation with this id; the attribute schema has already checked that it is one of {@link #ids()}. */
    static DenseActivation fromId(String id) {
        for (DenseActivation a : values()) {
            if (a.id.equals(id)) return a;
        }
        throw new PropelException("unknown dense activation '" + id + "'; expected one of " + ids());
    }

    /** {@code y = f(y + bias)} in place on a rows×cols output; {@code bias} may be null. */
    void forward(Kernels k, float[] y, int rows, int cols, float[] bias) {
        int n = rows * cols;
        switch (this) {
            case NONE -> {
                if (bias != null) k.addRowVector(y, rows, cols, bias);
            }
            case RELU -> k.addRowVectorRelu(y, rows, cols, bias);
            case SIGMOID -> {
                if (bias != null) k.addRowVector(y, rows, cols, bias);
                k.sigmoid(y, y, n);
            }
            case TANH -> {
                if (bias != null) k.addRowVector(y, rows, cols, bias);
                k.tanh(y, y, n);
            }
        }
    }

    /**
     * Writes {@code ∂L/∂z} from the output {@code y} and {@code dy = ∂L/∂Y} into {@code dz} and adds
     * {@code Σ_rows ∂L/∂z} to {@code biasGradient} when it is not null. Returns the array that holds
     * ∂L/∂z: {@code dy} itself for {@link #NONE}, else {@code dz}.
     */
    float[] backward(Kernels k, float[] y, float[] dy, float[] dz, int rows, int cols, float[] biasGradient) {
        int n = rows * cols;
        float[] g;
        switch (this) {
            case RELU -> {
                k.reluBackwardSumRows(y, dy, dz, rows, cols, biasGradient);
                return dz;
            }
            case SIGMOID -> {
                k.sigmoidBackward(y, dy, dz, n);
                g = dz;
            }
            case TANH -> {
                k.tanhBackward(y, dy, dz, n);
                g = dz;
            }
            default -> g = dy;
        }
        if (biasGradient != null) k.sumRows(g, rows, cols, biasGradient, true);
        return g;
    }
}
